import { formatShape } from '../ir/shape.ts';
import { elementwiseBinary, scalar } from './elementwise.ts';

/**
 * The guard inside the exponent's gradient, log(max(|x|, LOG_GUARD)): keeps it finite at x = 0.
 * A normal float32 number, so that backends computing in float32 keep it non-zero.
 */
export const LOG_GUARD = 1e-30;

/**
 * x^p with a SCALAR exponent p (Math.pow: a negative base with an integer exponent is exact, with
 * a fractional one NaN).
 */
export const pow = elementwiseBinary({
  kernel: Math.pow,
  shape: ([x, p]) => (p.length === 0 ? x : { error: `^ expects a scalar exponent, got ${formatShape(p)}` }),
  // x̄ = g·p·x^(p-1). p̄ = Σ g·out·log|x| (the real part for a negative base; guarded at 0).
  cotangents: (b, g, x, p, out) => {
    const dx = b.make('mul', [g, b.make('mul', [p, b.make('pow', [x, b.make('sub', [p, scalar(b, 1)])])])]);
    const logAbsX = b.make('log', [b.make('maximum', [b.make('abs', [x]), scalar(b, LOG_GUARD)])]);
    return [dx, b.make('mul', [b.make('mul', [g, out]), logAbsX])];
  },
});
