import { elementwiseUnary } from './elementwise.ts';

/** log(1 + eˣ), computed as log1p(e^-|x|) + max(x, 0) so that it neither overflows nor loses small values. */
export const softplus = elementwiseUnary({
  kernel: (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0),
  // d/dx softplus(x) = sigmoid(x).
  cotangent: (b, g, x) => b.make('mul', [g, b.make('sigmoid', [x])]),
});
