import type { Node } from '../ir/node.ts';
import type { ElementwiseOpName } from '../ops/elementwise-ops.ts';
import { guardedLog, guardedSqrt } from './guards.ts';
import type { LowerContext, Primitive } from './primitive.ts';

/** A DFL function of one argument named after its op: its doc line, and its lowering (the op itself unless given). */
interface Called {
  readonly doc: string;
  readonly lower?: (cx: LowerContext, x: Node) => Node;
}
/** Why DFL has no function of the op's name: an operator spells it, or only the compiler uses it. */
interface NotCalled {
  readonly notCalled: string;
}

const called = (doc: string, lower?: Called['lower']): Called => ({ doc, lower });
const notCalled = (why: string): NotCalled => ({ notCalled: why });

/**
 * How DFL users reach each elementwise IR op (compiler/ops/elementwise-ops.ts): a function of the
 * op's name, entry by entry, or why there is none. A record over the ops, so the type checker asks
 * about each new one; docs/language.md and README.md list the functions (a test checks them).
 */
const BY_OP = {
  neg: notCalled('the prefix operator -x'),
  exp: called('e to the power x, entry by entry'),
  log: called('natural logarithm, entry by entry (guarded: the argument is clamped at ε times its largest entry)', guardedLog),
  log1p: called('log(1 + x), entry by entry, accurate for x near 0 (not guarded: x must exceed −1)'),
  sqrt: called('square root, entry by entry (guarded: negative rounding noise and zeros give a tiny finite root)', guardedSqrt),
  abs: called('absolute value, entry by entry'),
  square: called('x², entry by entry'),
  relu: called('max(x, 0), entry by entry'),
  softplus: called('log(1 + eˣ), entry by entry, computed stably'),
  sigmoid: called('1/(1 + e⁻ˣ), entry by entry, computed stably: values in (0, 1)'),
  tanh: called('hyperbolic tangent, entry by entry: values in (−1, 1)'),
  sign: notCalled("the compiler's: abs's gradient"),
  step: notCalled("the compiler's: relu's gradient and the guard of /"),
  stop_gradient: notCalled('IR only: for programs built directly; no DFL function needs it yet'),
  add: notCalled('the operator +'),
  sub: notCalled('the operator -'),
  mul: notCalled('the operator *'),
  div: notCalled('the operator / (guarded)'),
  pow: notCalled('the operator ^'),
  maximum: notCalled('clamp(x, lo, hi) and the guards'),
  minimum: notCalled('clamp(x, lo, hi) and the guards'),
  eq: notCalled("the compiler's: the gradients of max, min, maximum and minimum"),
} satisfies Record<ElementwiseOpName, Called | NotCalled>;

function primitiveOf(op: ElementwiseOpName, { doc, lower }: Called): Primitive {
  return { name: op, params: [{ name: 'x', kind: 'any' }], doc, lower: (cx, [x]) => (lower ? lower(cx, x) : cx.b.make(op, [x])) };
}

/** Entry-by-entry functions. */
export const elementwisePrimitives: readonly Primitive[] = [
  ...(Object.entries(BY_OP) as [ElementwiseOpName, Called | NotCalled][]).flatMap(([op, use]) => ('doc' in use ? [primitiveOf(op, use)] : [])),
  {
    name: 'clamp',
    params: [
      { name: 'x', kind: 'any' },
      { name: 'lo', kind: 'scalar' },
      { name: 'hi', kind: 'scalar' },
    ],
    doc: 'x limited to [lo, hi], entry by entry',
    lower: ({ b }, [x, lo, hi]) => b.make('minimum', [b.make('maximum', [x, lo]), hi]),
  },
];
