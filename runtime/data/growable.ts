/**
 * Append-only typed arrays that double their capacity: the readers do not know how many rows a
 * dataset has until they have read it, and a typed array of numbers costs a quarter of a JS array.
 */
type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array | Int8Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

export class Growable<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly make: TypedArrayConstructor<T>,
    capacity = 1024,
  ) {
    this.data = new make(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** Appends all of `values`. */
  append(values: ArrayLike<number>): void {
    this.reserve(this.length + values.length);
    (this.data as unknown as { set(a: ArrayLike<number>, offset: number): void }).set(values, this.length);
    this.length += values.length;
  }

  /** A live view of the first `length` values (invalidated by the next push). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /**
   * The values in an array of exactly the right size: the buffer itself when full (size it well
   * with the constructor's capacity), otherwise a copy. Either way the Growable is done.
   */
  finish(): T {
    return this.length === this.data.length ? this.data : (this.data.slice(0, this.length) as T);
  }

  private reserve(size: number): void {
    if (size <= this.data.length) return;
    let capacity = this.data.length;
    while (capacity < size) capacity *= 2;
    const next = new this.make(capacity);
    (next as unknown as { set(a: T): void }).set(this.data);
    this.data = next;
  }
}
