import * as tf from '@tensorflow/tfjs-core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgramTf } from '../../../../runtime/executors/tfjs/run-program.ts';
import { emitModule } from '../../../../compiler/backends/typescript/emit-module.ts';
import { FLOAT32_EPSILON } from '../../../../compiler/surface/guards.ts';
import { printProgram } from '../../../../compiler/explain.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import type { Tensor64 } from '../../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { checkObjective } from '../../../../runtime/objective.ts';
import { conformanceCases } from '../../../helpers/conformance.ts';
import { REPO_ROOT } from '../../../helpers/run-cli.ts';
import {
  importModule,
  makeTempDir,
  randomMatrix,
  reference,
  relativeError,
  roundToFloat32,
  seeded,
  STRICTER,
  toTensors,
  TOLERANCE,
  typeCheck,
  useCpuBackend,
  writeModule,
} from './helpers.ts';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly source: string;
  readonly sizes?: ReadonlyMap<string, number>;
  /** The conformance case's inputs and float64 answers; examples get random inputs. */
  readonly conformance?: { inputs: ReadonlyMap<string, Tensor64>; value: number; grads: ReadonlyMap<string, Tensor64> };
}

const EXAMPLES = join(REPO_ROOT, 'examples');
const cases: Case[] = [
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.dfl'))
    .sort()
    .map((f) => ({ name: `examples/${f}`, file: `examples/${f}`, source: readFileSync(join(EXAMPLES, f), 'utf8') })),
  ...conformanceCases().map((c) => ({ name: `conformance/${c.name}`, file: `${c.name}/objective.dfl`, source: c.source, conformance: c })),
  // tfjs types `tf.sum` of a matrix as a matrix: the result's cast to tf.Scalar must still check.
  { name: 'sum(Z)', file: 'sum.dfl', source: 'sum(Z) + fro2(Z_t+1)\n' },
  { name: 'a constant objective (no inputs)', file: 'constant.dfl', source: '2 * 3\n' },
  // Specialised to n < d: the dual n x n form of the spectrum, and fixed shapes in INPUTS.
  {
    name: 'examples/card.dfl with --dims n=4,d=6',
    file: 'examples/card.dfl',
    source: readFileSync(join(EXAMPLES, 'card.dfl'), 'utf8'),
    sizes: new Map([['n', 4], ['d', 6]]),
  },
];

/** Sizes for the examples' random inputs: n > d, and a third width for cross-modal's k. */
const RANDOM_SIZES = new Map([['n', 12], ['d', 5], ['k', 4]]);

interface Emitted {
  readonly path: string;
  readonly program: Program;
  readonly text: string;
}

const temp = makeTempDir();
const emitted = new Map<string, Emitted>();

beforeAll(async () => {
  for (const [i, c] of cases.entries()) {
    const checked = checkObjective(c.file, c.source, FLOAT32_EPSILON);
    if (checked.program === undefined) throw new Error(`${c.name} does not compile`);
    const { program, log } = compileValueAndGrad(checked.program, { sizes: c.sizes });
    const text = emitModule(program, { source: c.source, file: c.file, log, sizes: c.sizes });
    emitted.set(c.name, { path: writeModule(temp.dir, `objective${i}`, text), program, text });
  }
  await useCpuBackend();
});
afterAll(() => temp.remove());

function inputsFor(c: Case, program: Program): Map<string, Tensor64> {
  if (c.conformance !== undefined) return roundToFloat32(c.conformance.inputs);
  const random = seeded(11);
  const sizes = c.sizes ?? RANDOM_SIZES;
  return new Map(
    program.inputs.map(({ name, shape }) => {
      const [rows, cols] = shape.map((dim) => (typeof dim === 'number' ? dim : sizes.get(dim)!));
      return [name, randomMatrix(rows, cols, random)];
    }),
  );
}

describe('generated modules type-check', () => {
  it("under the project's strict tsconfig, with zero diagnostics", () => {
    expect(typeCheck([...emitted.values()].map((e) => e.path))).toEqual([]);
  });

  it('under stricter options too (noUnusedLocals, noUncheckedIndexedAccess, exactOptionalPropertyTypes, ...)', () => {
    expect(typeCheck([...emitted.values()].map((e) => e.path), STRICTER)).toEqual([]);
  });
});

describe('generated modules, run on the tfjs cpu backend, match the float64 reference of the same program', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { path, program } = emitted.get(c.name)!;
    const module = await importModule(path);
    const inputs = inputsFor(c, program);
    const want = reference(program, inputs);
    const tensors = toTensors(inputs);
    const before = tf.memory().numTensors;
    const result = module.valueAndGrad(tensors);
    // Exactly the returned tensors survive: the body leaks nothing.
    expect(tf.memory().numTensors - before).toBe(1 + program.inputs.length);
    expect(relativeError(result.value.dataSync(), want.get('value')!.data), 'value').toBeLessThan(TOLERANCE);
    expect(Object.keys(result.grads).sort()).toEqual(program.inputs.map((i) => i.name).sort());
    for (const { name } of program.inputs) {
      const grad = result.grads[name];
      expect(grad.shape, name).toEqual(want.get(`grad:${name}`)!.shape);
      expect(relativeError(grad.dataSync(), want.get(`grad:${name}`)!.data), `grad ${name}`).toBeLessThan(TOLERANCE);
    }
    // The shared PyTorch answers, too.
    if (c.conformance !== undefined) {
      expect(relativeError(result.value.dataSync(), [c.conformance.value]), 'value vs expected.json').toBeLessThan(TOLERANCE);
      for (const [name, grad] of c.conformance.grads) {
        expect(relativeError(result.grads[name].dataSync(), grad.data), `grad ${name} vs grad_${name}.npy`).toBeLessThan(TOLERANCE);
      }
    }
    // objective() runs the same calls for the value alone.
    const value = module.objective(tensors);
    expect(tf.memory().numTensors - before).toBe(2 + program.inputs.length);
    expect(value.dataSync()[0]).toBe(result.value.dataSync()[0]);
    tf.dispose([value, result.value, ...Object.values(result.grads), ...Object.values(tensors)]);
  });
});

describe('a generated module', () => {
  const card = () => emitted.get('examples/card.dfl')!;

  it('starts with one doc comment holding the source, the explain summary and the do-not-edit note', () => {
    const { text } = card();
    const header = text.slice(0, text.indexOf('*/') + 2);
    expect(header).toMatch(/^\/\*\*\n/);
    expect(header).toContain('Generated by dflc — do not edit.');
    expect(header).toContain(' *     balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)');
    expect(header).toMatch(/Optimised program: \d+ ops for the value and its gradients, \d+ for the value alone;/);
    expect(header).toContain('1 symmetric eigendecomposition, run on the host in float64.');
    expect(header).toMatch(/Estimated cost: .*flops ≈ \d\.\d\de\+\d+ \(assuming d=256, n=4096\)\./);
    expect(header).toContain('forward spectral/sum-eigvals-trace ×1');
  });

  it('imports only tfjs-core and dflc/runtime', () => {
    for (const { text } of emitted.values()) {
      const specifiers = [...text.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(specifiers).toEqual(['@tensorflow/tfjs-core', 'dflc/runtime']);
      expect(text).not.toMatch(/\brequire\(|\bimport\(/);
    }
  });

  it('is straight-line tfjs code: no loops, no branches, no async', () => {
    const body = card().text.slice(card().text.indexOf('export function objective'));
    expect(body).not.toMatch(/\b(for|while|if|switch|async|await|then)\b/);
    expect(body).toContain('return tf.tidy(() => {');
    expect(body).toContain('hostEigh(');
    expect(body).toContain('.dataSync()');
  });

  it('never uses matMul transpose flags', () => {
    for (const { text } of emitted.values()) expect(text).not.toMatch(/matMul\([^;]*,\s*(true|false)/);
  });

  it('computes in objective() only the nodes the value needs', () => {
    const { text } = card();
    const objective = text.slice(text.indexOf('export function objective'), text.indexOf('export function valueAndGrad'));
    const valueAndGrad = text.slice(text.indexOf('export function valueAndGrad'));
    const count = (s: string) => (s.match(/^ {4}const /gm) ?? []).length;
    expect(count(objective)).toBeLessThan(count(valueAndGrad));
    expect(objective).toMatch(/Z_t\+1/);
  });

  it('checks the inputs and names the input and the dimension on a mismatch', async () => {
    const module = await importModule(card().path);
    const random = seeded(3);
    const Z = tf.tensor2d(Float32Array.from(randomMatrix(6, 4, random).data), [6, 4]);
    const narrow = tf.tensor2d(Float32Array.from(randomMatrix(6, 3, random).data), [6, 3]);
    expect(() => module.objective({ Z, Z_t: Z, 'Z_t+1': narrow })).toThrow("input 'Z_t+1' gives d = 3, but d is 4 in input 'Z'");
    expect(() => module.valueAndGrad({ Z, 'Z_t+1': Z })).toThrow("input 'Z_t' (matrix[n, d]) is not given");
    const ints = tf.zeros([6, 4], 'int32');
    expect(() => module.objective({ Z, Z_t: Z, 'Z_t+1': ints })).toThrow("input 'Z_t+1' should be float32, got int32");
    const special = await importModule(emitted.get('examples/card.dfl with --dims n=4,d=6')!.path);
    expect(special.INPUTS[0]).toEqual({ name: 'Z', shape: [4, 6] });
    expect(() => special.objective({ Z, Z_t: Z, 'Z_t+1': Z })).toThrow("input 'Z' should be matrix[4, 6], got an array of shape [6, 4]");
    tf.dispose([Z, narrow, ints]);
  });

  it('names node %K of `dflc compile --explain` tK', () => {
    const { text, program } = card();
    const matmuls = [...printProgram(program).matchAll(/^%(\d+) = matmul %(\d+), %(\d+)/gm)];
    expect(matmuls.length).toBeGreaterThan(3);
    for (const [, k, a, b] of matmuls) {
      expect(text, `%${k}`).toMatch(new RegExp(`const t${k}: tf\\.Tensor = tf\\.matMul\\((t${a}|Z\\w*), (t${b}|Z\\w*)\\);`));
    }
  });

  it('frees each intermediate after its last use: peak memory no higher than the executor\'s', async () => {
    const { path, program } = card();
    const module = await importModule(path);
    const random = seeded(9);
    const inputs = new Map(program.inputs.map(({ name }) => [name, randomMatrix(256, 16, random)]));
    const tensors = toTensors(inputs);
    // tf.profile returns one shared object, overwritten by the next profile: keep the numbers.
    const generated = (
      await tf.profile(() => {
        const result = module.valueAndGrad(tensors);
        tf.dispose([result.value, ...Object.values(result.grads)]);
      })
    ).peakBytes;
    const executor = (
      await tf.profile(() => {
        tf.dispose([...runProgramTf(program, new Map(Object.entries(tensors))).values()]);
      })
    ).peakBytes;
    // Without the disposals the peak would hold every intermediate: several times the inputs.
    const inputBytes = 3 * 256 * 16 * 4;
    expect(executor).toBeGreaterThan(inputBytes);
    // Slack for the temporaries inside one statement (the ones of tf.matMul(tf.ones([1, n]), x)),
    // which the tidy around the body frees only at its end.
    expect(generated).toBeLessThanOrEqual(executor * 1.1);
    tf.dispose(Object.values(tensors));
  });
});
