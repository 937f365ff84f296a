import type { Node, Program } from './ir/node.ts';
import { topoOrder } from './ir/node.ts';
import type { Dim, Shape } from './ir/shape.ts';
import type { OpName } from './ops/registry.ts';

/**
 * FLOP estimates, as polynomials in the symbolic dimensions so that an unspecialised program
 * still gets a formula (`2·d²·n + 9·d³`). Conventions, per node:
 *  - elementwise ops cost one flop per output entry (transcendentals included: an estimate, not
 *    a cycle count); reductions one per input entry;
 *  - `matmul` [r, k] @ [k, c] costs 2·r·k·c;
 *  - `eigh` of a k×k matrix costs 9·k³ (symmetric QR with eigenvectors, Golub and Van Loan);
 *  - leaves, data movement (transpose, broadcasts, pad, slice, diag, diag_embed) and the
 *    selectors of `eigh`'s outputs cost nothing.
 */

/** dim name -> exponent; the empty monomial is the constant term. */
type Monomial = ReadonlyMap<string, number>;

/** A polynomial with nonnegative coefficients over dimension names. */
export class Flops {
  private constructor(private readonly terms: ReadonlyMap<string, { mono: Monomial; coef: number }>) {}

  static readonly ZERO = new Flops(new Map());

  static constant(value: number): Flops {
    return value === 0 ? Flops.ZERO : new Flops(new Map([['', { mono: new Map(), coef: value }]]));
  }

  static dim(dim: Dim): Flops {
    if (typeof dim === 'number') return Flops.constant(dim);
    return new Flops(new Map([[dim, { mono: new Map([[dim, 1]]), coef: 1 }]]));
  }

  /** The number of entries of `shape`. */
  static size(shape: Shape): Flops {
    return shape.reduce((acc: Flops, dim) => acc.times(Flops.dim(dim)), Flops.constant(1));
  }

  private static key(mono: Monomial): string {
    return [...mono]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, exp]) => (exp === 1 ? name : `${name}^${exp}`))
      .join('·');
  }

  plus(other: Flops): Flops {
    const terms = new Map(this.terms);
    for (const [key, term] of other.terms) {
      const existing = terms.get(key);
      terms.set(key, { mono: term.mono, coef: (existing?.coef ?? 0) + term.coef });
    }
    return new Flops(terms);
  }

  times(other: Flops): Flops {
    let out = Flops.ZERO;
    for (const a of this.terms.values()) {
      for (const b of other.terms.values()) {
        const mono = new Map(a.mono);
        for (const [name, exp] of b.mono) mono.set(name, (mono.get(name) ?? 0) + exp);
        out = out.plus(new Flops(new Map([[Flops.key(mono), { mono, coef: a.coef * b.coef }]])));
      }
    }
    return out;
  }

  scale(factor: number): Flops {
    return this.times(Flops.constant(factor));
  }

  /** Dimension names that appear in the polynomial. */
  get symbols(): string[] {
    const names = new Set<string>();
    for (const term of this.terms.values()) for (const name of term.mono.keys()) names.add(name);
    return [...names].sort();
  }

  /** The value with every symbol bound by `sizes` (a symbol that it lacks throws). */
  evaluate(sizes: ReadonlyMap<string, number>): number {
    let total = 0;
    for (const { mono, coef } of this.terms.values()) {
      let value = coef;
      for (const [name, exp] of mono) {
        const size = sizes.get(name);
        if (size === undefined) throw new RangeError(`no size for dimension '${name}'`);
        value *= size ** exp;
      }
      total += value;
    }
    return total;
  }

  /** `2·d²·n + 9·d³ + 3`: highest degree first; `0` when empty. */
  toString(): string {
    const degree = (mono: Monomial) => [...mono.values()].reduce((a, b) => a + b, 0);
    const terms = [...this.terms.entries()]
      .filter(([, t]) => t.coef !== 0)
      .sort(([ka, a], [kb, b]) => degree(b.mono) - degree(a.mono) || (ka < kb ? -1 : ka > kb ? 1 : 0));
    if (terms.length === 0) return '0';
    return terms
      .map(([key, { coef }]) => {
        const pretty = key.replace(/\^2/g, '²').replace(/\^3/g, '³').replace(/\^(\d+)/g, '^$1');
        if (key === '') return String(coef);
        return coef === 1 ? pretty : `${coef}·${pretty}`;
      })
      .join(' + ');
  }
}

type CostRule = (node: Node) => Flops;

const free: CostRule = () => Flops.ZERO;
const perOutput: CostRule = (node) => Flops.size(node.shape);
const perInput: CostRule = (node) => Flops.size(node.inputs[0].shape);

/** The estimate for each op: one row per op name, so a new op fails type checking here. */
export const COST = {
  input: free,
  const: free,
  eye: free,
  dimsize: free,
  neg: perOutput,
  exp: perOutput,
  log: perOutput,
  sqrt: perOutput,
  abs: perOutput,
  square: perOutput,
  relu: perOutput,
  softplus: perOutput,
  sigmoid: perOutput,
  sign: perOutput,
  step: perOutput,
  stop_gradient: free,
  add: perOutput,
  sub: perOutput,
  mul: perOutput,
  div: perOutput,
  pow: perOutput,
  maximum: perOutput,
  minimum: perOutput,
  eq: perOutput,
  sum: perInput,
  max: perInput,
  min: perInput,
  sum_rows: perInput,
  sum_cols: perInput,
  broadcast: free,
  bcast_rows: free,
  bcast_cols: free,
  // [r, k] @ [k, c]: r·c dot products of length k, a multiply and an add each.
  matmul: (node) => Flops.size(node.inputs[0].shape).times(Flops.dim(node.inputs[1].shape[1])).scale(2),
  transpose: free,
  diag: free,
  diag_embed: free,
  // Symmetric QR with eigenvectors: about 9k³ (Golub and Van Loan, Matrix Computations, 8.3).
  eigh: (node) => Flops.dim(node.shape[0]).times(Flops.dim(node.shape[0])).times(Flops.dim(node.shape[0])).scale(9),
  eigvals: free,
  eigvecs: free,
  pad: free,
  slice: free,
  // A row lookup moves data; scatter_add adds each of its m·e values once.
  gather: free,
  scatter_add: perInput,
  // A multiply and an add for each of the m·e looked-up values.
  segment_pool: (node) => Flops.dim(node.inputs[1].shape[0]).times(Flops.dim(node.inputs[0].shape[1])).scale(2),
} satisfies Record<OpName, CostRule>;

export function nodeFlops(node: Node): Flops {
  return COST[node.op](node);
}

/** The estimate for a whole program: the sum over its nodes. */
export function programFlops(program: Program): Flops {
  return topoOrder(program.outputs.map((o) => o.node)).reduce((acc, node) => acc.plus(nodeFlops(node)), Flops.ZERO);
}

/**
 * Sizes assumed for dimensions that are still symbolic when a number is wanted: the reference
 * workload of DESIGN.md's engine facts (a batch of n = 4096, width d = 256); any other name is 256.
 */
export const ASSUMED_SIZES: ReadonlyMap<string, number> = new Map([
  ['n', 4096],
  ['d', 256],
]);
export const ASSUMED_OTHER_SIZE = 256;
