import { describe, expect, it } from 'vitest';
import { cpuNodesOfProfile, fallbackMessage, originOf } from '../../../../runtime/executors/onnx/node-placement.ts';
import { cpuFallbackFromEnvironment } from '../../../../runtime/executors/create-executor.ts';
import { BackendUnavailableError } from '../../../../runtime/executors/executor.ts';

/** One event of an ORT profile, in the form ORT 1.30 writes it (fields it adds beside these are ignored). */
function event(name: string, op: string, provider: string, types: { in: string[]; out: string[] }, cat = 'Node') {
  return {
    cat,
    name,
    ph: 'X',
    args: { op_name: op, provider, input_type_shape: types.in.map((t) => ({ [t]: [3] })), output_type_shape: types.out.map((t) => ({ [t]: [3] })), node_index: '0' },
  };
}
const float = { in: ['float'], out: ['float'] };

describe('the nodes an ORT profile shows on the CPU', () => {
  it('are the CPU provider kernels, once each, with the dflc op their name carries', () => {
    const profile = JSON.stringify([
      { cat: 'Session', name: 'model_loading_array', ph: 'X', args: {} },
      event('n0_Sign:sign#3_fence_before', 'Sign', 'CPUExecutionProvider', float),
      event('n0_Sign:sign#3_kernel_time', 'Sign', 'CPUExecutionProvider', float),
      event('n1_Mul:mul#4_kernel_time', 'Mul', 'WebGpuExecutionProvider', { in: ['float', 'float'], out: ['float'] }),
      event('Memcpy_token_0_kernel_time', 'MemcpyFromHost', 'WebGpuExecutionProvider', float),
      event('n0_Sign:sign#3_kernel_time', 'Sign', 'CPUExecutionProvider', float),
      event('fused_IsNaN_kernel_time', 'IsNaN', 'CPUExecutionProvider', { in: ['float'], out: ['bool'] }),
    ]);
    expect(cpuNodesOfProfile(profile)).toEqual([
      { name: 'n0_Sign:sign#3', op: 'Sign', from: 'sign#3' },
      { name: 'fused_IsNaN', op: 'IsNaN' },
    ]);
  });

  it('leave out arithmetic on sizes (int64 inputs only), which ORT keeps on the CPU on purpose', () => {
    const profile = JSON.stringify([
      event('n2_Unsqueeze_kernel_time', 'Unsqueeze', 'CPUExecutionProvider', { in: ['int64', 'int64'], out: ['int64'] }),
      event('n1_Cast:dimsize#3_kernel_time', 'Cast', 'CPUExecutionProvider', { in: ['int64'], out: ['float'] }),
      event('n3_Gather:gather#9_kernel_time', 'Gather', 'CPUExecutionProvider', { in: ['float', 'int64'], out: ['float'] }),
    ]);
    expect(cpuNodesOfProfile(profile).map((node) => node.name)).toEqual(['n3_Gather:gather#9']);
  });

  it('refuse a profile that is not an array of events', () => {
    expect(() => cpuNodesOfProfile('{}')).toThrow('an ORT profile is a JSON array of events');
  });

  it('read the dflc op from the names encodeModel writes', () => {
    expect(originOf('n12_ReduceSum:sum_rows#40')).toBe('sum_rows#40');
    expect(originOf('n0_Identity')).toBeUndefined();
  });
});

describe('the message for nodes run on the CPU', () => {
  const nodes = [{ name: 'n0_Sign:sign#3', op: 'Sign', from: 'sign#3' }];

  it('warns, naming each node, its ONNX op and dflc op, and how to refuse instead', () => {
    const message = fallbackMessage(nodes, 2, 3, 'warn')!;
    expect(message.refuse).toBe(false);
    expect(message.text).toBe(
      'warning: onnx-webgpu runs a node of stage 2 of 3 on the CPU, not the GPU (no WebGPU kernel): Sign (node n0_Sign:sign#3, from the dflc op sign#3); ' +
        'each costs a copy between GPU and host per run (DFLC_WEBGPU_FALLBACK=refuse makes this an error)',
    );
  });

  it('with refuse, is the error, naming the nodes', () => {
    const message = fallbackMessage([...nodes, { name: 'fused', op: 'IsNaN' }], 1, 1, 'refuse')!;
    expect(message.refuse).toBe(true);
    expect(message.text).toContain('refused to run 2 nodes of stage 1 of 1 on the CPU, not the GPU (no WebGPU kernel): Sign (node n0_Sign:sign#3, from the dflc op sign#3), IsNaN (node fused)');
  });

  it('is nothing when every node ran on the device', () => {
    expect(fallbackMessage([], 1, 1, 'refuse')).toBeUndefined();
  });

  it('DFLC_WEBGPU_FALLBACK takes warn or refuse, and says so otherwise', () => {
    expect(cpuFallbackFromEnvironment(undefined)).toBeUndefined();
    expect(cpuFallbackFromEnvironment('')).toBeUndefined();
    expect(cpuFallbackFromEnvironment('refuse')).toBe('refuse');
    expect(() => cpuFallbackFromEnvironment('cpu')).toThrow(BackendUnavailableError);
    expect(() => cpuFallbackFromEnvironment('cpu')).toThrow("DFLC_WEBGPU_FALLBACK must be one of warn, refuse, not 'cpu'");
  });
});
