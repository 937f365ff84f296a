import { BackendUnavailableError } from '../executor.ts';
import { isHardware, listGpuAdapters, preferredAdapter, type AdapterListing, type GpuAdapter } from '../gpu/vulkan-adapters.ts';
import { bindingRuntime, identityModel } from './binding-session.ts';
import { filteringDawnStderr } from '../gpu/dawn-stderr.ts';
import type { OrtRuntime } from './ort-session.ts';

const BACKEND = 'onnx-webgpu';

/** How to get a Vulkan driver, for the messages below. */
const DRIVER_HINT =
  "install your GPU vendor's Vulkan driver (NVIDIA's driver; Mesa's mesa-vulkan-drivers for AMD and Intel); " +
  "to test without a GPU, Mesa 24 or later's software Vulkan works (Debian 12: apt-get install -t bookworm-backports mesa-vulkan-drivers) with --backend onnx-webgpu";

export interface WebgpuRuntime {
  readonly runtime: OrtRuntime;
  /** The adapter Vulkan lists that Dawn will pick; undefined where adapters cannot be listed (macOS). */
  readonly adapter: GpuAdapter | undefined;
}

/**
 * Which adapter to run on, or why not. `auto` (the user did not ask for a GPU) takes only a
 * hardware adapter; asked for by name, a software adapter is used too (for testing: it is
 * slower than the CPU backend). Undefined: Dawn picks one that dflc cannot inspect (macOS).
 * Pure: the listing is passed in.
 */
export function chooseAdapter(listing: AdapterListing, auto: boolean, platform: string): GpuAdapter | undefined {
  if ('reason' in listing) {
    // macOS has no Vulkan to list adapters with: Dawn runs on Metal there, and Metal has no
    // software device, so the adapter Dawn takes is hardware whatever it is (Dawn's Metal
    // backend reports each as an integrated GPU, with unified memory, or a discrete one, never
    // a CPU), and auto may take it. A Mac without a Metal device (a VM without GPU) fails in
    // startRuntime, which auto skips.
    if (platform === 'darwin') return undefined;
    throw new BackendUnavailableError(BACKEND, `--backend onnx-webgpu found no GPU adapter (${listing.reason}); ${DRIVER_HINT}`);
  }
  const adapter = preferredAdapter(listing.adapters);
  if (adapter === undefined) throw new BackendUnavailableError(BACKEND, `--backend onnx-webgpu found no GPU adapter (Vulkan lists none); ${DRIVER_HINT}`);
  if (auto && !isHardware(adapter.type)) {
    throw new BackendUnavailableError(
      BACKEND,
      `--backend onnx-webgpu has only a software adapter here (${adapter.name}), which auto never picks; ` +
        'to use it anyway (for testing: it is slower than --backend onnx), run with --backend onnx-webgpu',
    );
  }
  return adapter;
}

/**
 * ONNX Runtime's WebGPU provider through onnxruntime-node's binding (its C API way here is for
 * the CPU provider), checked to start: Dawn may still refuse the driver that Vulkan lists (Debian
 * 12's Mesa 22 is too old for it), which is found by opening one small session. `where` names the
 * adapter in the error.
 */
async function startRuntime(where: string): Promise<OrtRuntime> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    throw new BackendUnavailableError(BACKEND, `--backend onnx-webgpu needs the package onnxruntime-node, which failed to load here; reinstall it with \`npm install onnxruntime-node\``, {
      cause: error,
    });
  }
  const runtime = bindingRuntime(ort, 'webgpu');
  try {
    // Dawn starts here, and says what it has to say on stderr (dawn-stderr.ts).
    (await filteringDawnStderr(() => runtime.createSession(identityModel(1), {}))).release();
  } catch (error) {
    const said = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BackendUnavailableError(
      BACKEND,
      `--backend onnx-webgpu: ONNX Runtime's WebGPU provider could not start on ${where} (${said}); ` + `Dawn needs a recent Vulkan, Metal or D3D12 driver: ${DRIVER_HINT}`,
      { cause: error },
    );
  }
  return { ...runtime, description: `${runtime.description}, WebGPU` };
}

/**
 * One runtime per process, as Dawn has one device: every executor shares it and its transfer
 * sessions, and a machine where it failed to start fails again without a second try.
 */
let started: Promise<OrtRuntime> | undefined;

export async function loadWebgpuRuntime(auto: boolean): Promise<WebgpuRuntime> {
  const adapter = chooseAdapter(await listGpuAdapters(), auto, process.platform);
  started ??= startRuntime(adapter === undefined ? 'this machine' : adapter.name);
  return { runtime: await started, adapter };
}
