import { noFlops } from '../ir/flops.ts';
import { formatShape } from '../ir/shape.ts';
import { elementwiseBinary, elementwiseUnary, scalar, type CotangentPair } from './elementwise.ts';
import type { Node } from '../ir/node.ts';
import type { OpDef } from './op-def.ts';
import { pairwiseExtreme } from './pairwise-extreme.ts';

/**
 * The guard inside pow's exponent gradient, log(max(|x|, LOG_GUARD)): keeps it finite at x = 0.
 * A normal float32 number, so that backends computing in float32 keep it non-zero.
 */
const LOG_GUARD = 1e-30;

/**
 * Every elementwise IR op, one row each: an elementwise op is its float64 kernel (the
 * specification of its meaning), its vector-Jacobian product written with builder calls, and a
 * few facts; `elementwiseUnary` and `elementwiseBinary` supply the shape rule and the cost. The
 * key is the op's name: `OPS` (registry.ts) spreads this table, so a new row is a new op, and the
 * type checker then names each table that lacks it (the lowerings, the surface, the tests).
 *
 * Every cotangent states its return type (`: Node`, `: CotangentPair`): the table's type is
 * inferred, and the op names a cotangent's builder calls accept come from it, so a return type
 * left to inference would be circular (tsc: "implicitly has return type 'any'").
 */
export const ELEMENTWISE_OPS = {
  // one input
  /** -x. */
  neg: elementwiseUnary({
    kernel: (x) => -x,
    facts: { linear: true },
    // Its own transpose: x̄ = -g.
    cotangent: (b, g): Node => b.make('neg', [g]),
  }),
  /** e^x. */
  exp: elementwiseUnary({
    kernel: Math.exp,
    // d/dx e^x = e^x: reuse the forward output instead of recomputing it.
    cotangent: (b, g, _x, out): Node => b.make('mul', [g, out]),
  }),
  /** Natural logarithm (no guard here: DFL's guards are explicit `maximum`s). */
  log: elementwiseUnary({
    kernel: Math.log,
    // d/dx log x = 1/x.
    cotangent: (b, g, x): Node => b.make('div', [g, x]),
  }),
  /** log(1 + x), accurate where x is near 0 (log(1 + x) would round 1 + x first); NaN below -1. */
  log1p: elementwiseUnary({
    kernel: Math.log1p,
    // d/dx log(1 + x) = 1/(1 + x).
    cotangent: (b, g, x): Node => b.make('div', [g, b.make('add', [scalar(b, 1), x])]),
  }),
  /** Square root. */
  sqrt: elementwiseUnary({
    kernel: Math.sqrt,
    // d/dx √x = 1/(2√x): reuse the forward output.
    cotangent: (b, g, _x, out): Node => b.make('div', [g, b.make('mul', [scalar(b, 2), out])]),
  }),
  /** |x|. */
  abs: elementwiseUnary({
    kernel: Math.abs,
    // d/dx |x| = sign(x); at 0 the subgradient 0.
    cotangent: (b, g, x): Node => b.make('mul', [g, b.make('sign', [x])]),
  }),
  /** x². */
  square: elementwiseUnary({
    kernel: (x) => x * x,
    // d/dx x² = 2x.
    cotangent: (b, g, x): Node => b.make('mul', [b.make('mul', [scalar(b, 2), g]), x]),
  }),
  /** max(x, 0) (NaN stays NaN). */
  relu: elementwiseUnary({
    kernel: (x) => Math.max(x, 0),
    // d/dx relu(x) = step(x): 0 at the kink.
    cotangent: (b, g, x): Node => b.make('mul', [g, b.make('step', [x])]),
  }),
  /** log(1 + eˣ), computed as log1p(e^-|x|) + max(x, 0) so that it neither overflows nor loses small values. */
  softplus: elementwiseUnary({
    kernel: (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0),
    // d/dx softplus(x) = sigmoid(x).
    cotangent: (b, g, x): Node => b.make('mul', [g, b.make('sigmoid', [x])]),
  }),
  /** 1/(1 + e^-x), with the exponential taken of -|x| only, so it never overflows. */
  sigmoid: elementwiseUnary({
    kernel: (x) => {
      const e = Math.exp(-Math.abs(x));
      return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    },
    // d/dx σ(x) = σ(x)(1 - σ(x)): reuse the forward output.
    cotangent: (b, g, _x, out): Node => b.make('mul', [g, b.make('mul', [out, b.make('sub', [scalar(b, 1), out])])]),
  }),
  /** The hyperbolic tangent, (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ): a bounded, odd squashing into (−1, 1). */
  tanh: elementwiseUnary({
    kernel: Math.tanh,
    // d/dx tanh(x) = 1 − tanh²(x): reuse the forward output.
    cotangent: (b, g, _x, out): Node => b.make('mul', [g, b.make('sub', [scalar(b, 1), b.make('square', [out])])]),
  }),
  /** -1, 0 or 1 (0 for both zeros; NaN stays NaN). Piecewise constant: no gradient. */
  sign: elementwiseUnary({
    kernel: (x) => Math.sign(x) + 0,
    cotangent: null,
  }),
  /** 1 where x > 0, else 0 (NaN stays NaN). Piecewise constant: no gradient. */
  step: elementwiseUnary({
    kernel: (x) => (x > 0 ? 1 : x <= 0 ? 0 : Number.NaN),
    cotangent: null,
  }),
  /**
   * The identity in value, a constant for differentiation: nothing flows back through it. Not
   * marked `linear`, so that no pass treats it as an ordinary linear op and moves it away.
   */
  stop_gradient: elementwiseUnary({
    cost: noFlops,
    kernel: (x) => x,
    cotangent: null,
  }),

  // two inputs of equal shape, or one of them scalar
  /** x + y. */
  add: elementwiseBinary({
    kernel: (x, y) => x + y,
    facts: { commutative: true, linear: true },
    // Both operands receive the cotangent unchanged (summed down where one was a scalar).
    cotangents: (_b, g): CotangentPair => [g, g],
  }),
  /** x - y. */
  sub: elementwiseBinary({
    kernel: (x, y) => x - y,
    facts: { linear: true },
    cotangents: (b, g): CotangentPair => [g, b.make('neg', [g])],
  }),
  /** x * y. Bilinear: each operand's cotangent is g times the other operand. */
  mul: elementwiseBinary({
    kernel: (x, y) => x * y,
    facts: { commutative: true },
    cotangents: (b, g, x, y): CotangentPair => [b.make('mul', [g, y]), b.make('mul', [g, x])],
  }),
  /** x / y. */
  div: elementwiseBinary({
    kernel: (x, y) => x / y,
    // x̄ = g/y; ȳ = -g·x/y² = -(g·out)/y, reusing the forward output.
    cotangents: (b, g, _x, y, out): CotangentPair => [b.make('div', [g, y]), b.make('neg', [b.make('div', [b.make('mul', [g, out]), y])])],
  }),
  /**
   * x^p with a SCALAR exponent p (Math.pow: a negative base with an integer exponent is exact, with
   * a fractional one NaN).
   */
  pow: elementwiseBinary({
    kernel: Math.pow,
    shape: ([x, p]) => (p.length === 0 ? x : { error: `^ expects a scalar exponent, got ${formatShape(p)}` }),
    // x̄ = g·p·x^(p-1). p̄ = Σ g·out·log|x| (the real part for a negative base; guarded at 0).
    cotangents: (b, g, x, p, out): CotangentPair => {
      const dx = b.make('mul', [g, b.make('mul', [p, b.make('pow', [x, b.make('sub', [p, scalar(b, 1)])])])]);
      const logAbsX = b.make('log', [b.make('maximum', [b.make('abs', [x]), scalar(b, LOG_GUARD)])]);
      return [dx, b.make('mul', [b.make('mul', [g, out]), logAbsX])];
    },
  }),
  /** max(x, y) (NaN wins). At ties the gradient goes to the first input. */
  maximum: pairwiseExtreme(Math.max),
  /** min(x, y) (NaN wins). At ties the gradient goes to the first input. */
  minimum: pairwiseExtreme(Math.min),
  /** 1 where x = y, else 0 (NaN if either is NaN). Piecewise constant: no gradient. */
  eq: elementwiseBinary({
    kernel: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : x === y ? 1 : 0),
    facts: { commutative: true },
    cotangents: null,
  }),
} satisfies Record<string, OpDef>;

/** The name of an elementwise IR op. */
export type ElementwiseOpName = keyof typeof ELEMENTWISE_OPS;
