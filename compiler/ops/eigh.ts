import { createRequire } from 'node:module';
import { IrError } from '../ir/ir-error.ts';
import { tensor64, type Tensor64 } from '../ir/tensor.ts';
import { asTensor, filled } from './elementwise.ts';
import type { HostFacts, OpDef } from './op-def.ts';
import { expectSquare } from './shape-rules.ts';
import { Flops } from '../ir/flops.ts';

type MlMatrix = typeof import('ml-matrix');
let mlMatrix: MlMatrix | undefined;

/**
 * ml-matrix, loaded on the first decomposition: every command that type-checks imports this op
 * (through the op registry), and only evaluation needs the solver. Its ESM entry wraps the
 * CommonJS build, which Node then scans for export names; that alone was a sizeable share of
 * `dflc check`'s start-up. require() loads the CommonJS build without the scan.
 */
function loadMlMatrix(): MlMatrix {
  mlMatrix ??= createRequire(import.meta.url)('ml-matrix') as MlMatrix;
  return mlMatrix;
}

/** Largest |M - Mᵀ| entry, relative to the largest |M| entry, that still counts as symmetric. */
const SYMMETRY_TOLERANCE = 1e-8;
/**
 * Entries below this, relative to the largest, are set to 0 before the decomposition: ml-matrix's
 * QL iteration divides by off-diagonal entries and fails (an index error) on subnormal ones.
 * Dropping them moves eigenvalues by less than 1e-290 of their scale, far below rounding.
 */
const FLUSH_BELOW = 1e-290;

/**
 * The symmetric eigendecomposition: matrix[k, k] -> the tuple [values vector[k] in DESCENDING
 * order, vectors matrix[k, k] with the matching eigenvector in each column]. The node's shape is
 * that of its vectors; `eigvals` and `eigvecs` select the parts. Float64, by ml-matrix's
 * Householder tridiagonalisation and QL iteration (JAMA/EISPACK tred2 + tql2) on (M + Mᵀ)/2,
 * scaled by a power of two to largest entry 1 (exact). A matrix further from symmetric than
 * rounding explains is an error; a non-finite entry gives NaN values and vectors.
 */
export const eigh: OpDef<HostFacts> = {
  arity: 1,
  facts: { runsOnHost: true, noun: 'symmetric eigendecomposition' },
  partShapes: (vectors) => [[vectors[0]], vectors],
  shape: ([m]) => expectSquare('eigh', m) ?? m,
  evaluate: ([value]) => decompose(asTensor(value)),
  // eigvals sends its gradient straight to eigh's input, and nothing differentiates eigenvectors,
  // so a cotangent reaching eigh itself means the backward pass went wrong.
  // Symmetric QR with eigenvectors: about 9k³ (Golub and Van Loan, Matrix Computations, 8.3).
  cost: (node) => Flops.dim(node.shape[0]).times(Flops.dim(node.shape[0])).times(Flops.dim(node.shape[0])).scale(9),
  vjp: () => {
    throw new IrError(
      'eigh received a cotangent: gradients of eigenvalues go through eigvals to the matrix, and eigenvectors are not differentiable',
    );
  },
};

function decompose(m: Tensor64): [Tensor64, Tensor64] {
  const { EigenvalueDecomposition, Matrix } = loadMlMatrix();
  const k = m.shape[0];
  let scale = 0;
  let asymmetry = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      scale = Math.max(scale, Math.abs(m.data[i * k + j]));
      asymmetry = Math.max(asymmetry, Math.abs(m.data[i * k + j] - m.data[j * k + i]));
    }
  }
  if (!Number.isFinite(scale) || Number.isNaN(asymmetry)) return [filled([k], Number.NaN), filled([k, k], Number.NaN)];
  if (asymmetry > SYMMETRY_TOLERANCE * scale) {
    throw new RangeError(`eigh: the matrix is not symmetric (|M - Mᵀ| up to ${asymmetry}, |M| up to ${scale})`);
  }
  const unit = scale === 0 ? 1 : 2 ** Math.round(Math.log2(scale));
  const sym = new Matrix(k, k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const entry = (m.data[i * k + j] + m.data[j * k + i]) / 2 / unit;
      sym.set(i, j, Math.abs(entry) < FLUSH_BELOW ? 0 : entry);
    }
  }
  const evd = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const vals = evd.realEigenvalues;
  const vecs = evd.eigenvectorMatrix;
  const order = vals.map((_, i) => i).sort((a, b) => vals[b] - vals[a]);
  const values = tensor64([k], order.map((i) => vals[i] * unit));
  const vectors = tensor64([k, k]);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) vectors.data[r * k + c] = vecs.get(r, order[c]);
  return [values, vectors];
}
