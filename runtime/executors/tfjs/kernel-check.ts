import * as tf from '@tensorflow/tfjs-core';
import { topoOrder, type Program } from '../../../compiler/ir/node.ts';
import type { OpName } from '../../../compiler/ops/registry.ts';
import { tfjsLowerings, type TfjsLowering } from './lowering.ts';

/** Kernels the executor itself runs, outside any op's lowering (cloning aliased outputs). */
export const EXECUTOR_KERNELS: readonly string[] = [tf.Identity];

/** One kernel a program needs that a backend lacks; `op` null means the executor itself. */
export interface MissingKernel {
  readonly op: OpName | null;
  readonly kernel: string;
}

/** A program needs tfjs kernels that the chosen backend does not register. */
export class KernelUnavailableError extends Error {
  override name = 'KernelUnavailableError';
  constructor(
    readonly backend: string,
    readonly missing: readonly MissingKernel[],
  ) {
    super(
      missing
        .map(({ op, kernel }) =>
          op === null
            ? `the tfjs executor needs tfjs kernel '${kernel}', which the ${backend} backend does not have`
            : `op '${op}' needs tfjs kernel '${kernel}', which the ${backend} backend does not have`,
        )
        .join('\n') + (backend === 'cpu' ? '' : '\n(--backend cpu has every tfjs kernel, more slowly)'),
    );
  }
}

/**
 * Every (op, kernel) pair that `program`'s lowering needs and `backend` (a tfjs backend name:
 * `wasm`, `cpu`, `tensorflow`) does not register, in program order, each pair once.
 */
export function missingKernels(
  program: Program,
  backend: string,
  table: Readonly<Record<OpName, TfjsLowering>> = tfjsLowerings,
): MissingKernel[] {
  const ops = new Set<OpName>(topoOrder(program.outputs.map((o) => o.node)).map((n) => n.op));
  const missing: MissingKernel[] = [];
  for (const op of ops) {
    for (const kernel of table[op].kernels) {
      if (tf.getKernel(kernel, backend) === undefined) missing.push({ op, kernel });
    }
  }
  for (const kernel of EXECUTOR_KERNELS) {
    if (tf.getKernel(kernel, backend) === undefined) missing.push({ op: null, kernel });
  }
  return missing;
}

/** Throws KernelUnavailableError naming each missing op and kernel; does nothing else. */
export function checkKernels(
  program: Program,
  backend: string,
  table: Readonly<Record<OpName, TfjsLowering>> = tfjsLowerings,
): void {
  const missing = missingKernels(program, backend, table);
  if (missing.length > 0) throw new KernelUnavailableError(backend, missing);
}
