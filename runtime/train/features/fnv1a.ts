/**
 * FNV-1a, 32 bits, over the UTF-8 bytes of a string: the hash behind dflc's feature buckets (codes
 * outside the kept vocabulary, text n-grams). Stable across runs, platforms and versions, so a
 * saved featurizer maps the same string to the same row forever.
 */
const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

const encoder = new TextEncoder();

export function fnv1a(text: string, seed: number = OFFSET_BASIS): number {
  let h = seed >>> 0;
  // ASCII fast path (codes and most clinical text); other strings go through UTF-8.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      ascii = false;
      break;
    }
    h = Math.imul(h ^ c, PRIME);
  }
  if (ascii) return h >>> 0;
  h = seed >>> 0;
  for (const byte of encoder.encode(text)) h = Math.imul(h ^ byte, PRIME);
  return h >>> 0;
}

/** The bucket (0..buckets-1) a string hashes to. */
export function fnvBucket(text: string, buckets: number): number {
  return fnv1a(text) % buckets;
}
