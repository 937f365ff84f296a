/** A dense float64 array in row-major (C) order: the value type of the reference backend. */
export interface Tensor64 {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** What a node evaluates to: a tensor, or for multi-output nodes (`eigh`) a tuple of them. */
export type Value = Tensor64 | readonly Tensor64[];

export function tensor64(shape: readonly number[], data?: ArrayLike<number>): Tensor64 {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  if (data !== undefined) {
    if (data.length !== size) throw new RangeError(`tensor64: ${data.length} values for shape [${shape.join(', ')}]`);
    out.set(data);
  }
  return { shape: [...shape], data: out };
}

export function isTuple(value: Value): value is readonly Tensor64[] {
  return Array.isArray(value);
}
