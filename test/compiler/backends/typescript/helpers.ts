import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { evaluate, inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../../../compiler/ir/tensor.ts';
import { REPO_ROOT } from '../../../helpers/run-cli.ts';

/** The norm-wise relative error a float32 backend must meet (shared/conformance/README.md). */
export const TOLERANCE = 2e-3;

/**
 * A fresh folder under the repository's git-ignored `tmp/`: generated modules must live inside
 * the repository so that `@tensorflow/tfjs-core` and `dflc/runtime` (the package's self-reference
 * through its `exports` map) resolve from them, as they would in a user's project.
 */
export function makeTempDir(): { readonly dir: string; readonly remove: () => void } {
  mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, 'tmp', 'codegen-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeModule(dir: string, name: string, text: string): string {
  const path = join(dir, `${name}.ts`);
  writeFileSync(path, text);
  return path;
}

/** Options stricter than the project's, for checking that generated code needs no leniency. */
export const STRICTER: ts.CompilerOptions = {
  noUnusedLocals: true,
  noUnusedParameters: true,
  noUncheckedIndexedAccess: true,
  noImplicitReturns: true,
  noPropertyAccessFromIndexSignature: true,
  exactOptionalPropertyTypes: true,
};

/**
 * Type-checks `files` in one TypeScript program with the repository's tsconfig options (strict,
 * noEmit, NodeNext resolution) plus `extra`, and returns the diagnostics located in those files,
 * formatted. Diagnostics in files they import (dflc's own sources, which are checked by
 * `tsc -p .` under the project's options) are left out, so that `extra` judges only the
 * generated code.
 */
export function typeCheck(files: readonly string[], extra: ts.CompilerOptions = {}): string[] {
  const project = new Project({ tsConfigFilePath: join(REPO_ROOT, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  project.compilerOptions.set({ ...extra, noEmit: true });
  const sources = files.map((file) => project.addSourceFileAtPath(file));
  const wanted = new Set(sources.map((s) => s.getFilePath()));
  const program = project.getProgram().compilerObject;
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...sources.flatMap((s) => [...program.getSyntacticDiagnostics(s.compilerNode), ...program.getSemanticDiagnostics(s.compilerNode)]),
  ];
  return diagnostics
    .filter((d) => d.file === undefined || wanted.has(d.file.fileName as never))
    .map((d) => {
      const where = d.file === undefined || d.start === undefined ? '' : `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `;
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

/** What a generated module exports, as the tests use it. */
export interface GeneratedModule {
  objective(inputs: Record<string, tf.Tensor>): tf.Scalar;
  valueAndGrad(inputs: Record<string, tf.Tensor>): { value: tf.Scalar; grads: Record<string, tf.Tensor> };
  INPUTS: readonly { name: string; shape: readonly (number | string)[] }[];
}

export async function importModule(path: string): Promise<GeneratedModule> {
  return (await import(path)) as GeneratedModule;
}

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * An object of float32 tensors, one per input, made with computed keys so that names such as
 * `__proto__` become own properties (a quoted key in an object literal would set the prototype).
 */
export function toTensors(inputs: ReadonlyMap<string, Tensor64>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of inputs) Object.defineProperty(out, name, { value: tf.tensor(Float32Array.from(t.data), [...t.shape], 'float32'), enumerable: true });
  return out;
}

/** The inputs rounded to float32, so that the reference sees exactly what tfjs sees. */
export function roundToFloat32(inputs: ReadonlyMap<string, Tensor64>): Map<string, Tensor64> {
  return new Map([...inputs].map(([name, t]) => [name, tensor64(t.shape, Float32Array.from(t.data))]));
}

/** The float64 reference evaluation of `program`: the oracle. */
export function reference(program: Program, inputs: ReadonlyMap<string, Tensor64>): Map<string, Tensor64> {
  return evaluate(program, inputs, inferSizes(program, inputs));
}

export { relativeError } from '../../../helpers/relative-error.ts';

export { seededUniform as seeded } from '../../../helpers/finite-diff.ts';

/** A matrix of uniform entries in [-1, 1), as float64 data holding float32 values. */
export function randomMatrix(rows: number, cols: number, random: () => number): Tensor64 {
  return tensor64([rows, cols], Float32Array.from({ length: rows * cols }, () => 2 * random() - 1));
}
