import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../../runtime/executors/executor.ts';
import { chooseAdapter } from '../../../../runtime/executors/onnx/webgpu-runtime.ts';
import { isHardware } from '../../../../runtime/executors/gpu/vulkan-adapters.ts';

const lavapipe = { name: 'llvmpipe (LLVM 15.0.6, 256 bits)', type: 'cpu' } as const;
const discrete = { name: 'NVIDIA H200', type: 'discrete' } as const;

describe('choosing the adapter of onnx-webgpu', () => {
  it('takes a hardware adapter before a software one, for auto and when asked for', () => {
    expect(chooseAdapter({ adapters: [lavapipe, discrete] }, true, 'linux')).toEqual(discrete);
    expect(chooseAdapter({ adapters: [lavapipe, discrete] }, false, 'linux')).toEqual(discrete);
  });

  it('uses a software adapter only when asked for by name; auto says so and how to force it', () => {
    expect(chooseAdapter({ adapters: [lavapipe] }, false, 'linux')).toEqual(lavapipe);
    expect(() => chooseAdapter({ adapters: [lavapipe] }, true, 'linux')).toThrow(BackendUnavailableError);
    expect(() => chooseAdapter({ adapters: [lavapipe] }, true, 'linux')).toThrow(
      'has only a software adapter here (llvmpipe (LLVM 15.0.6, 256 bits)), which auto never picks; to use it anyway (for testing: it is slower than --backend onnx), run with --backend onnx-webgpu',
    );
  });

  it('with no adapter, says why and how to install a driver', () => {
    for (const listing of [{ adapters: [] }, { reason: 'the Vulkan loader (libvulkan.so.1) is not installed' }]) {
      for (const auto of [true, false]) {
        expect(() => chooseAdapter(listing, auto, 'linux')).toThrow(/^--backend onnx-webgpu found no GPU adapter \(.+\); install your GPU vendor's Vulkan driver .*bookworm-backports mesa-vulkan-drivers/);
      }
    }
  });

  it('on macOS (Metal, no Vulkan to inspect) takes the adapter Dawn picks, for auto too: Metal has only hardware devices', () => {
    const noVulkan = { reason: 'adapters are listed through Vulkan, which darwin does not have by default' };
    for (const auto of [true, false]) expect(chooseAdapter(noVulkan, auto, 'darwin')).toBeUndefined();
    // What Dawn's Metal backend reports (integrated with unified memory, else discrete) is what
    // auto accepts where it can inspect it; a CPU adapter, which Metal never has, it refuses.
    for (const type of ['integrated', 'discrete'] as const) expect(isHardware(type)).toBe(true);
    expect(isHardware('cpu')).toBe(false);
    // Elsewhere, no listing is no adapter.
    expect(() => chooseAdapter(noVulkan, true, 'win32')).toThrow('found no GPU adapter');
  });
});
