import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../compiler/pipeline.ts';
import { FLOAT32_EPSILON } from '../../../compiler/surface/guards.ts';
import type { Executor } from '../../../runtime/executors/executor.ts';
import { hostEighSolver } from '../../../runtime/executors/host/host-eigh.ts';
import { float32EngineRoutine } from '../../../runtime/executors/host/lapack-eigh.ts';
import { OnnxExecutor } from '../../../runtime/executors/onnx/onnx-executor.ts';
import { checkObjective } from '../../../runtime/objective.ts';
import { flat, randomRows, type Rows } from '../../helpers/linalg64.ts';
import { float32Error, referenceWithScale, TOLERANCE } from './helpers.ts';

/** The spectral objectives of the stdlib and the card's: every one runs an `eigh` on the host. */
const OBJECTIVES = [
  'balance(spectrum(Z))',
  'balance2(spectrum(Z))',
  'condition(Z)',
  '-effrank(Z)',
  'balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z, W)',
];

const N = 12;
const D = 6;

/** Rows ±e_j (so centred), column j scaled by `scales[j]`: cov(Z) is diagonal with these repeats. */
function repeatedSpectrum(scales: readonly number[]): Rows {
  return scales.flatMap((s, j) => [1, -1].map((sign) => scales.map((_, c) => (c === j ? sign * s : 0))));
}

/** Embeddings whose spectrum is well separated or repeated: answers checked against float64. */
const SPECTRA: Record<string, Rows> = {
  random: randomRows(5, N, D),
  'all eigenvalues equal': repeatedSpectrum([1, 1, 1, 1, 1, 1]),
  'eigenvalues in equal pairs': repeatedSpectrum([2, 2, 1, 1, 0.5, 0.5]),
};

/** Collapsed embeddings: zero eigenvalues, where the guards must keep everything finite. */
const COLLAPSED: Record<string, Rows> = {
  'rank one': randomRows(3, N, 1).map(([a]) => Array.from({ length: D }, (_, j) => a * (j + 1))),
  'a constant column': randomRows(4, N, D).map((row) => row.map((v, j) => (j === 0 ? 2.5 : v))),
  'all zeros': Array.from({ length: N }, () => new Array<number>(D).fill(0)),
};

/**
 * The spectral objectives, value and gradient, on ONNX Runtime (the CPU provider, or `create`'s)
 * with the eigensolver hostEigh runs in this process for float32 engines (`solver` must match
 * hostEighSolver(float32EngineRoutine()): eigh-objectives-*.test.ts run it with the platform's
 * LAPACK's ssyevd, with its dsyevd (DFLC_EIGH_ROUTINE=dsyevd) and with DFLC_LAPACK=off): against
 * the float64 reference for separated and repeated spectra, finite for collapsed embeddings.
 */
export function eighObjectivesSuite(solver: RegExp, backend = 'onnx', create: () => Promise<Executor> = () => OnnxExecutor.create()): void {
  describe(`spectral objectives on ${backend} with ${hostEighSolver(float32EngineRoutine())}`, () => {
    let executor: Executor;
    beforeAll(async () => {
      executor = await create();
    });
    afterAll(() => executor?.dispose());

    it('run the expected eigensolver', () => {
      expect(hostEighSolver(float32EngineRoutine())).toMatch(solver);
    });

    const compile = (source: string) => {
      const forward = checkObjective('spectral.dfl', source, FLOAT32_EPSILON).program!;
      const sizes = new Map([
        ['n', N],
        ['d', D],
      ]);
      return { program: compileValueAndGrad(forward, { sizes }).program, sizes, names: forward.inputs.map((i) => i.name) };
    };
    const bind = (names: readonly string[], z: Rows): Map<string, Tensor64> =>
      // W is Z shifted by a constant: the same spectrum, a different input.
      new Map(names.map((name) => [name, tensor64([N, D], Float32Array.from(flat(name === 'W' ? z.map((r) => r.map((v) => v + 0.25)) : z)))]));
    const run = (program: ReturnType<typeof compile>['program'], inputs: Map<string, Tensor64>, sizes: Map<string, number>) =>
      executor.run(program, new Map([...inputs].map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }])), sizes);

    for (const source of OBJECTIVES) {
      for (const [kind, z] of Object.entries(SPECTRA)) {
        it(`${source} on ${kind}: value and gradients within 2e-3 of float64`, async () => {
          const { program, sizes, names } = compile(source);
          const inputs = bind(names, z);
          const { outputs: expected, scale } = referenceWithScale(program, inputs, sizes);
          const got = await run(program, inputs, sizes);
          for (const [name, want] of expected) {
            expect(float32Error(got.get(name)!.data, want.data, scale), name).toBeLessThanOrEqual(TOLERANCE);
          }
        });
      }
      for (const [kind, z] of Object.entries(COLLAPSED)) {
        it(`${source} on ${kind}: finite value and gradients`, async () => {
          const { program, sizes, names } = compile(source);
          const got = await run(program, bind(names, z), sizes);
          for (const [name, out] of got) {
            for (const v of out.data) expect(Number.isFinite(v), `${name} has ${v}`).toBe(true);
          }
        });
      }
    }
  });
}
