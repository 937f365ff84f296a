import { elementwiseUnary, scalar } from './elementwise.ts';

/** The hyperbolic tangent, (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ), entry by entry: a bounded, odd squashing into (−1, 1). */
export const tanh = elementwiseUnary({
  kernel: Math.tanh,
  // d/dx tanh(x) = 1 − tanh²(x): reuse the forward output.
  cotangent: (b, g, _x, out) => b.make('mul', [g, b.make('sub', [scalar(b, 1), b.make('square', [out])])]),
});
