/**
 * A small, fast, seeded pseudo-random generator (xoshiro128**) with the draws the synthetic cohort
 * needs. Every random number in dflc's data code comes from here with an explicit seed, never from
 * Math.random, so a cohort is a pure function of its seed.
 *
 * Streams are derived by hashing a list of integer keys (seed, purpose, subject index, ...): subject
 * i of a cohort gets the same draws whatever the cohort's size, and adding a new kind of draw under a
 * new key does not shift the existing ones.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = NaN;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** A generator for a list of integer keys (each a safe integer; negative and > 2^32 are fine). */
  static from(...keys: number[]): Rng {
    let h = 0x9e3779b9;
    for (const key of keys) {
      if (!Number.isSafeInteger(key)) throw new RangeError(`Rng key must be a safe integer, got ${key}`);
      const lo = key >>> 0;
      const hi = Math.floor(key / 0x100000000) >>> 0;
      h = fmix32(h ^ fmix32(lo + 0x85ebca6b));
      h = fmix32(h ^ fmix32(hi + 0xc2b2ae35));
    }
    // splitmix32 to fill the 128-bit state; xoshiro must not start from all zeros.
    const next = (): number => {
      h = (h + 0x9e3779b9) | 0;
      return fmix32(h);
    };
    const a = next();
    const b = next();
    const c = next();
    const d = next();
    return new Rng(a, b, c, (a | b | c | d) === 0 ? 1 : d);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = NaN;
      return spare;
    }
    const u1 = (this.uint32() + 1) / 4294967297; // in (0, 1): log(u1) is finite
    const u2 = this.float();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Exponential with the given rate. */
  exponential(rate: number): number {
    return -Math.log(1 - this.float()) / rate;
  }

  /** Poisson count (Knuth's product method; the synthetic rates are small). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** An index drawn with probability proportional to the increments of a cumulative weight array. */
  pick(cumulative: ArrayLike<number>): number {
    const total = cumulative[cumulative.length - 1];
    const x = this.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A uniformly chosen element. */
  choice<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's finaliser: a good 32-bit mixer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
