import type { Node } from '../ir/node.ts';
import type { LowerContext } from './primitive.ts';

/**
 * Numerical guards (LANGUAGE.md: "guards are part of the semantics"). A guard clamps a quantity
 * that can reach 0 to at least ε times its own scale, the scale being the largest magnitude of
 * the quantity; ε² more keeps an all-zero quantity off exactly 0. On healthy inputs the clamp
 * does not fire, so values equal the exact formula. The floor is differentiated like everything
 * else, so gradients are exact for the guarded function even where a clamp fires.
 */

/** ε for float64 evaluation: guards fire only 12 orders of magnitude below a quantity's scale. */
export const FLOAT64_EPSILON = 1e-12;

/**
 * ε for float32 engines (tfjs, generated modules, training), which LANGUAGE.md allows to be
 * larger: 1e-12 is below float32's resolution relative to the guarded quantity, and the floors
 * of a collapsed embedding (ε²) must stay representable with room for gradients of 1/ε².
 */
export const FLOAT32_EPSILON = 1e-6;

function floorOf(cx: LowerContext, x: Node, epsilon: number): Node {
  const { b } = cx;
  const scale = x.shape.length === 0 ? b.make('abs', [x]) : b.make('max', [b.make('abs', [x])]);
  const eps = b.make('const', [], { value: epsilon, shape: [] });
  const tiny = b.make('const', [], { value: epsilon * epsilon, shape: [] });
  return b.make('add', [b.make('mul', [eps, scale]), tiny]);
}

/** max(x, ε·scale(x)): for quantities that are non-negative by construction (variances, norms², probabilities). */
export function guardPositive(cx: LowerContext, x: Node): Node {
  return cx.b.make('maximum', [x, floorOf(cx, x, cx.epsilon)]);
}

/**
 * √x with x clamped at ε·scale(x). The clamp must sit above rounding noise: the spectrum of a
 * centred batch with n ≤ d has eigenvalues that are zero up to ±1e-16 of the largest, and the
 * root of noise has a derivative of noise/√noise. A zero entry becomes √ε = 1e-6 of the largest
 * root instead.
 */
export function guardedSqrt(cx: LowerContext, x: Node): Node {
  return cx.b.make('sqrt', [guardPositive(cx, x)]);
}

/** log of a non-negative quantity, clamped at ε·scale(x). */
export function guardedLog(cx: LowerContext, x: Node): Node {
  return cx.b.make('log', [guardPositive(cx, x)]);
}

function isConstant(node: Node): boolean {
  return node.op === 'const' || node.op === 'dimsize' || node.op === 'eye';
}

/**
 * x / y with y kept at least ε·scale(y) away from 0 on its own side: a division whose
 * denominator can vanish gives a large finite result, never Inf or NaN. Constant denominators
 * are left alone.
 */
export function guardedDivide(cx: LowerContext, x: Node, y: Node): Node {
  const { b } = cx;
  if (isConstant(y)) return b.make('div', [x, y]);
  const floor = floorOf(cx, y, cx.epsilon);
  const one = b.make('const', [], { value: 1, shape: [] });
  // positive = 1 where y >= 0: then max(y, floor) applies, else min(y, -floor).
  const negative = b.make('step', [b.make('neg', [y])]);
  const positive = b.make('sub', [one, negative]);
  const safe = b.make('add', [
    b.make('mul', [positive, b.make('maximum', [y, floor])]),
    b.make('mul', [negative, b.make('minimum', [y, b.make('neg', [floor])])]),
  ]);
  return b.make('div', [x, safe]);
}
