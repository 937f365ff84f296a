import { elementwiseUnary, scalar } from './elementwise.ts';

/** 1/(1 + e^-x), with the exponential taken of -|x| only, so it never overflows. */
export const sigmoid = elementwiseUnary({
  kernel: (x) => {
    const e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
  },
  // d/dx σ(x) = σ(x)(1 - σ(x)): reuse the forward output.
  cotangent: (b, g, _x, out) => b.make('mul', [g, b.make('mul', [out, b.make('sub', [scalar(b, 1), out])])]),
});
