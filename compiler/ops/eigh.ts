import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { IrError } from '../ir/builder.ts';
import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import type { OpDef } from './op-def.ts';
import { expectSquare } from './shape-rules.ts';

/** Largest |M - Mᵀ| entry, relative to the largest |M| entry, that still counts as symmetric. */
const SYMMETRY_TOLERANCE = 1e-8;

/**
 * The symmetric eigendecomposition: matrix[k, k] -> the tuple [values vector[k] in DESCENDING
 * order, vectors matrix[k, k] with the matching eigenvector in each column]. The node's shape is
 * that of its vectors; `eigvals` and `eigvecs` select the parts. Float64, by ml-matrix's
 * tridiagonal QL (Householder + QL, as in JAMA/EISPACK) on (M + Mᵀ)/2; an input further from
 * symmetric than rounding explains is an internal error.
 */
export const eigh: OpDef = {
  name: 'eigh',
  arity: 1,
  shape: ([m]) => expectSquare('eigvals', m) ?? m,
  evaluate: ([value]) => {
    const m = asTensor(value);
    const k = m.shape[0];
    const sym = new Matrix(k, k);
    let scale = 0;
    let asymmetry = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const [a, b] = [m.data[i * k + j], m.data[j * k + i]];
        sym.set(i, j, (a + b) / 2);
        scale = Math.max(scale, Math.abs(a));
        asymmetry = Math.max(asymmetry, Math.abs(a - b));
      }
    }
    if (asymmetry > SYMMETRY_TOLERANCE * scale) {
      throw new RangeError(`eigh: the matrix is not symmetric (|M - Mᵀ| up to ${asymmetry}, |M| up to ${scale})`);
    }
    const evd = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
    const vals = evd.realEigenvalues;
    const vecs = evd.eigenvectorMatrix;
    const order = vals.map((_, i) => i).sort((a, b) => vals[b] - vals[a]);
    const values = tensor64([k], order.map((i) => vals[i]));
    const vectors = tensor64([k, k]);
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) vectors.data[r * k + c] = vecs.get(r, order[c]);
    return [values, vectors];
  },
  // eigvals sends its gradient straight to eigh's input, and nothing differentiates eigenvectors,
  // so a cotangent reaching eigh itself means the backward pass went wrong.
  vjp: () => {
    throw new IrError('eigh received a cotangent: gradients of eigenvalues go through eigvals to the matrix, and eigenvectors are not differentiable');
  },
};
