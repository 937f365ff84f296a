import type { Node } from './node.ts';
import type { Dim, Shape } from './shape.ts';

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

/** An op's FLOP estimate for one node (OpDef.cost); conventions in compiler/cost.ts. */
export type CostRule = (node: Node) => Flops;

/** Leaves, data movement and selections. */
export const noFlops: CostRule = () => Flops.ZERO;
/** One flop per output entry: elementwise ops. */
export const flopPerOutput: CostRule = (node) => Flops.size(node.shape);
/** One flop per entry of the first input: reductions. */
export const flopPerInput: CostRule = (node) => Flops.size(node.inputs[0].shape);
