import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../../compiler/autodiff.ts';
import { BackendUnavailableError } from '../../../../runtime/executors/executor.ts';
import { loadOrtRuntime, pickOrtRuntime, type OrtWay } from '../../../../runtime/executors/onnx/load-ort.ts';
import { encodeModel, type OnnxGraph } from '../../../../compiler/backends/onnx/onnx-model.ts';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { OrtCallError, type OrtRuntime } from '../../../../runtime/executors/onnx/ort-session.ts';
import { formatProgram, randomProgram } from '../../../helpers/random-ir.ts';
import { toFloat32 } from '../helpers.ts';

/** The two ways to ONNX Runtime (load-ort.ts): ORT's C API through koffi, and onnxruntime-node's binding. */

let cApi: OnnxExecutor;
let binding: OnnxExecutor;
beforeAll(async () => {
  cApi = await OnnxExecutor.create({ threads: 1, way: 'c-api' });
  binding = await OnnxExecutor.create({ threads: 1, way: 'binding' });
});
afterAll(() => {
  cApi?.dispose();
  binding?.dispose();
});

describe('the C API and the binding', () => {
  it('are both there, and say which one an executor uses', () => {
    expect(cApi.description).toMatch(/^onnx \(onnxruntime [\d.]+ C API, CPU, 1 thread\)$/);
    expect(binding.description).toMatch(/^onnx \(onnxruntime-node [\d.]+, CPU, 1 thread\)$/);
  });

  it('compute the same floats, bit for bit, for random programs and their gradients', async () => {
    await fc.assert(
      fc.asyncProperty(randomProgram(), async (sample) => {
        const inputs = toFloat32(sample.inputs);
        for (const program of [sample.program, differentiate(sample.program)]) {
          const viaC = await cApi.run(program, inputs, sample.sizes);
          const viaBinding = await binding.run(program, inputs, sample.sizes);
          expect([...viaC.keys()].sort()).toEqual([...viaBinding.keys()].sort());
          for (const [name, got] of viaC) {
            const want = viaBinding.get(name)!;
            expect(got.shape, `${name}\n${formatProgram(program)}`).toEqual(want.shape);
            // Object.is tells NaN from NaN apart from nothing, and -0 from 0.
            const differs = Array.from(got.data).findIndex((x, i) => !Object.is(x, want.data[i]));
            expect(differs, `${name} differs at ${differs}\n${formatProgram(program)}`).toBe(-1);
          }
        }
      }),
      { numRuns: 40, seed: 20261126 },
    );
  });
});

/** y = x + x, over a symbolic length. */
function doubling(): Uint8Array {
  const graph: OnnxGraph = {
    name: 'doubling',
    nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
    inputs: [{ name: 'x', type: 'float', shape: ['n'] }],
    outputs: [{ name: 'y', type: 'float', shape: ['n'] }],
    initializers: [],
  };
  return encodeModel(graph);
}

describe('a C API session', () => {
  let runtime: OrtRuntime;
  beforeAll(async () => {
    runtime = await loadOrtRuntime('c-api');
  });

  it('reads the caller’s input and writes into the caller’s output array', async () => {
    const session = await runtime.createSession(doubling(), { threads: 1 });
    const x = Float32Array.of(1, -2, 3.5);
    const y = new Float32Array(3);
    await session.run([{ name: 'x', data: x, dims: [3] }], [{ name: 'y', data: y, dims: [3] }]);
    expect(Array.from(y)).toEqual([2, -4, 7]);
    // Views into larger buffers, at an offset, on both sides.
    const inputs = Float32Array.of(9, 9, 1, 2, 3, 9);
    const outputs = new Float32Array(6);
    await session.run([{ name: 'x', data: inputs.subarray(2, 5), dims: [3] }], [{ name: 'y', data: outputs.subarray(1, 4), dims: [3] }]);
    expect(Array.from(outputs)).toEqual([0, 2, 4, 6, 0, 0]);
    await session.run([{ name: 'x', data: new Float32Array(0), dims: [0] }], [{ name: 'y', data: new Float32Array(0), dims: [0] }]);
    session.release();
  });

  it('turns ORT’s refusals into errors with ORT’s own words, not crashes', async () => {
    await expect(runtime.createSession(Uint8Array.of(1, 2, 3, 4), {})).rejects.toThrow(OrtCallError);
    const session = await runtime.createSession(doubling(), { threads: 1 });
    const x = { name: 'x', data: Float32Array.of(1, 2), dims: [2] };
    // An output array of the wrong size, an input the graph does not have, data shorter than its dims.
    await expect(session.run([x], [{ name: 'y', data: new Float32Array(5), dims: [5] }])).rejects.toThrow(OrtCallError);
    await expect(session.run([x, { name: 'z', data: Float32Array.of(0), dims: [1] }], [{ name: 'y', data: new Float32Array(2), dims: [2] }])).rejects.toThrow(/z/);
    await expect(session.run([{ name: 'x', data: Float32Array.of(1), dims: [4] }], [{ name: 'y', data: new Float32Array(4), dims: [4] }])).rejects.toThrow(OrtCallError);
    session.release();
    await expect(session.run([x], [{ name: 'y', data: new Float32Array(2), dims: [2] }])).rejects.toThrow('after release');
  });
});

describe('picking the way', () => {
  const fake = (description: string): OrtRuntime => ({ description, createSession: () => Promise.reject(new Error('not here')) });
  const loader = (broken: readonly OrtWay[]) => (way: OrtWay) =>
    broken.includes(way) ? Promise.reject(new Error(`${way} is broken\nstack`)) : Promise.resolve(fake(way));

  it('takes the C API when it loads, the binding when asked', async () => {
    expect((await pickOrtRuntime(undefined, loader([]))).description).toBe('c-api');
    expect((await pickOrtRuntime('binding', loader(['c-api']))).description).toBe('binding');
  });

  it('falls back to the binding and says why, unless the C API was asked for', async () => {
    expect((await pickOrtRuntime(undefined, loader(['c-api']))).description).toBe('binding; C API unavailable: c-api is broken');
    await expect(pickOrtRuntime('c-api', loader(['c-api']))).rejects.toThrow(BackendUnavailableError);
    await expect(pickOrtRuntime('c-api', loader(['c-api']))).rejects.toThrow("ONNX Runtime's C API could not be reached through koffi (c-api is broken)");
    await expect(pickOrtRuntime(undefined, loader(['c-api', 'binding']))).rejects.toThrow('binding is broken');
  });
});
