/**
 * Every IR operation. Backends type their lowering tables as `Record<OpName, ...>`, so adding a
 * name here fails type checking until every backend handles it.
 *
 * DFL's surface primitives (`cov`, `corr`, `fro2`, ...) are compositions of these; the IR keeps
 * only what a backend must execute and what the backward pass needs.
 */
export const OP_NAMES = [
  // leaves
  'input', // attrs {name, shape}
  'const', // attrs {value, shape}: a tensor filled with one number
  'eye', // attrs {n}: identity matrix[n, n]
  'dimsize', // attrs {dim}: the scalar value of a (possibly symbolic) dimension
  // elementwise, one input
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'square',
  'relu',
  'softplus',
  'sigmoid',
  'sign',
  'step', // 1 where x > 0, else 0
  'stop_gradient', // identity whose vjp is zero
  // elementwise, two inputs of equal shape or one of them scalar
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq', // 1 where equal, else 0
  // reductions
  'sum', // all entries -> scalar
  'max', // all entries -> scalar
  'min', // all entries -> scalar
  'sum_rows', // matrix[r, c] -> vector[c]
  'sum_cols', // matrix[r, c] -> vector[r]
  // broadcasts
  'broadcast', // scalar -> attrs.shape
  'bcast_rows', // vector[c] -> matrix[attrs.rows, c]
  'bcast_cols', // vector[r] -> matrix[r, attrs.cols]
  // linear algebra
  'matmul',
  'transpose',
  'diag', // matrix[k, k] -> vector[k]
  'diag_embed', // vector[k] -> matrix[k, k]
  'eigh', // symmetric matrix[k, k] -> (values vector[k] descending, vectors matrix[k, k] as columns)
  'eigvals', // selects eigh's values
  'eigvecs', // selects eigh's vectors
  // vectors
  'pad', // vector[k] -> vector[attrs.length], zeros appended
  'slice', // vector[m] -> vector[attrs.length], the first entries
  // indexing (ids are integers stored as floats)
  'gather', // table[V, e], ids[m] -> matrix[m, e]: rows of the table
  'scatter_add', // values[m, e], ids[m] -> matrix[attrs.rows, e]: rows summed into row ids[i]
  'segment_pool', // table[V, e], ids[m], weights[m], rows[m] -> matrix[attrs.rows, e]: out[rows[i]] += weights[i] table[ids[i]]
] as const;

export type OpName = (typeof OP_NAMES)[number];
