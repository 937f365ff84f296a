/**
 * Buffers kept from call to call, one per purpose, replaced only when the length changes. hostEigh
 * used to allocate five k x k buffers a call; a fresh buffer of that size is new memory, and every
 * 4 KiB page of it faults on first write until V8 collects the old buffers and the allocator hands
 * their pages back: 512 faults and about 8 of a call's 12-14 ms at k = 256 in bench:train, where a
 * step makes one call. A kept buffer is the caller's only until the next request for the same
 * purpose, so it must never be returned: callers copy out of it (hostEigh's results are fresh).
 */
type FloatArray = Float64Array | Float32Array;
const kept = new Map<string, FloatArray>();

/** A `Kind` array of `length` for `purpose`, with whatever the last call left in it. */
export function scratch<T extends FloatArray>(Kind: new (length: number) => T, purpose: string, length: number): T {
  const buffer = kept.get(purpose);
  if (buffer instanceof Kind && buffer.length === length) return buffer;
  const made = new Kind(length);
  kept.set(purpose, made);
  return made;
}
