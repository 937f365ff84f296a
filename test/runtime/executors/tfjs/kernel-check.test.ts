import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import type { OpName } from '../../../../compiler/ops/registry.ts';
import { checkKernels, KernelUnavailableError, missingKernels } from '../../../../runtime/executors/tfjs/kernel-check.ts';
import { loadTfjsBackend } from '../../../../runtime/executors/tfjs/load-backend.ts';
import { tfjsLowerings, type TfjsLowering } from '../../../../runtime/executors/tfjs/lowering.ts';
import { runProgramTf } from '../../../../runtime/executors/tfjs/run-program.ts';
import { OP_NAMES } from '../../../../compiler/ops/registry.ts';

/** The standard table, except that `exp` is lowered as if it needed the gather gradient's kernel. */
const hypothetical: Record<OpName, TfjsLowering> = {
  ...tfjsLowerings,
  exp: { kernels: [tf.Exp, tf.UnsortedSegmentSum], lower: tfjsLowerings.exp.lower },
};

function expProgram(): Program {
  const b = new IrBuilder();
  const z = b.make('input', [], { name: 'Z', shape: ['n', 'd'] });
  return { inputs: [{ name: 'Z', shape: ['n', 'd'] }], outputs: [{ name: 'value', node: b.make('sum', [b.make('exp', [z])]) }] };
}

beforeAll(async () => {
  await loadTfjsBackend('cpu');
  await loadTfjsBackend('wasm');
});

describe('kernel check', () => {
  it('every kernel the standard lowering declares exists on wasm and cpu', () => {
    for (const backend of ['wasm', 'cpu']) {
      for (const op of OP_NAMES) {
        for (const kernel of tfjsLowerings[op].kernels) expect(tf.getKernel(kernel, backend), `${op}: ${kernel} on ${backend}`).toBeDefined();
      }
    }
  });

  it('names the op and the kernel the wasm backend lacks', () => {
    expect(missingKernels(expProgram(), 'wasm', hypothetical)).toEqual([{ op: 'exp', kernel: 'UnsortedSegmentSum' }]);
    expect(() => checkKernels(expProgram(), 'wasm', hypothetical)).toThrow(
      "op 'exp' needs tfjs kernel 'UnsortedSegmentSum', which the wasm backend does not have",
    );
    expect(missingKernels(expProgram(), 'cpu', hypothetical)).toEqual([]);
  });

  it('stops the run before any kernel runs', async () => {
    await loadTfjsBackend('wasm');
    const z = tf.ones([2, 2]);
    const start = tf.memory().numTensors;
    const info = await tf.profile(() => {
      expect(() => runProgramTf(expProgram(), new Map([['Z', z]]), { table: hypothetical })).toThrow(KernelUnavailableError);
    });
    expect(info.kernelNames).toEqual([]);
    expect(tf.memory().numTensors).toBe(start);
    z.dispose();
  });

  it('only checks the ops the program uses', () => {
    const b = new IrBuilder();
    const z = b.make('input', [], { name: 'Z', shape: ['n', 'd'] });
    const program: Program = { inputs: [{ name: 'Z', shape: ['n', 'd'] }], outputs: [{ name: 'value', node: b.make('sum', [z]) }] };
    expect(missingKernels(program, 'wasm', hypothetical)).toEqual([]);
  });
});
