import fc from 'fast-check';

/**
 * Random well-typed DFL objectives. A seeded recursive generator writes source text by type, so
 * every program compiles; fast-check supplies the seed (and reports it on failure). The
 * generators keep arguments in the smooth domain of each function (logs and roots of positive
 * quantities, no abs or relu kinks) so that finite differences are meaningful. Objectives may use
 * the params P : [d, 3], v : [d] and c : [] (declared at the top when used), through products with
 * vectors (M @ v, v @ M) and row-wise broadcasting (M + v, M * v), as heads and projectors do.
 */

/** The params random objectives may use, each declared when the objective names it. */
const PARAM_DECLS: readonly { name: string; decl: string }[] = [
  { name: 'P', decl: 'param P : [d, 3]' },
  { name: 'v', decl: 'param v : [d]' },
  { name: 'c', decl: 'param c : []' },
];

/** Scalar, vector[d], matrix[n, d], matrix[d, d], matrix[n, n]. */
export type Type = 'S' | 'Vd' | 'Mnd' | 'Mdd' | 'Mnn';

export interface RandomObjective {
  readonly source: string;
  readonly n: number;
  readonly d: number;
}

class Source {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.uniform() * items.length)];
  }
}

type Rule = (r: Source, depth: number) => string;

const number = (r: Source) => String(Math.round((0.25 + 1.75 * r.uniform()) * 100) / 100);

function rules(gen: (t: Type, r: Source, depth: number) => string): Record<Type, { leaves: Rule[]; nodes: Rule[] }> {
  const g = (t: Type) => (r: Source, depth: number) => gen(t, r, depth - 1);
  const S = g('S');
  const Vd = g('Vd');
  const Mnd = g('Mnd');
  const Mdd = g('Mdd');
  const Mnn = g('Mnn');
  const anyTensor = (r: Source, depth: number) => r.pick([Vd, Mnd, Mdd, Mnn])(r, depth);
  return {
    S: {
      leaves: [number, (r) => `fro2(${r.pick(['Z', 'W', 'Z_t', 'Z_t+1'])})`],
      nodes: [
        (r, k) => `sum(${anyTensor(r, k)})`,
        (r, k) => `mean(${anyTensor(r, k)})`,
        (r, k) => `fro2(${anyTensor(r, k)})`,
        (r, k) => `norm(${Mnd(r, k)})`,
        (r, k) => `max(${Vd(r, k)})`,
        (r, k) => `trace(${Mdd(r, k)})`,
        (r, k) => `balance(spectrum(${Mnd(r, k)}))`,
        (r, k) => `balance2(spectrum(${Mnd(r, k)}))`,
        (r, k) => `ortho(${Mnd(r, k)})`,
        (r, k) => `consistent(${Mnd(r, k)}, ${Mnd(r, k)})`,
        (r, k) => `cka(${Mnd(r, k)}, ${Mnd(r, k)})`,
        (r, k) => `condition(${Mnd(r, k)})`,
        (r, k) => `effrank(${Mnd(r, k)})`,
        (r, k) => `covariance(${Mnd(r, k)})`,
        (r, k) => `invariance(${Mnd(r, k)}, ${Mnd(r, k)})`,
        (r, k) => `barlow(${Mnd(r, k)}, ${Mnd(r, k)}, lambda=${number(r)})`,
        (r, k) => `uniformity(${Mnd(r, k)})`,
        (r, k) => `alignment(${Mnd(r, k)}, ${Mnd(r, k)})`,
        (r, k) => `entropy(softplus(${Vd(r, k)}) / sum(softplus(${Vd(r, k)})))`,
        (r, k) => `${S(r, k)} + ${S(r, k)}`,
        (r, k) => `${S(r, k)} - ${number(r)}*${S(r, k)}`,
        (r, k) => `${S(r, k)} * ${S(r, k)}`,
        (r, k) => `${S(r, k)} / (1 + fro2(${Mnd(r, k)}))`,
        (r, k) => `log(1 + square(${S(r, k)}))`,
        (r, k) => `sqrt(1 + square(${S(r, k)}))`,
        (r, k) => `softplus(${S(r, k)})`,
        (r, k) => `(${S(r, k)})^2`,
        (r, k) => `-${S(r, k)}`,
        (r, k) => `exp(-square(${S(r, k)}))`,
        (r, k) => `mean(softplus(${Mnd(r, k)} @ v + c))`,
        (r, k) => `fro2(${Mnd(r, k)} @ P)`,
      ],
    },
    Vd: {
      leaves: [(r) => `diag(cov(${r.pick(['Z', 'W'])}))`, () => 'v'],
      nodes: [
        (r, k) => `spectrum(${Mnd(r, k)})`,
        (r, k) => `eigvals(${Mdd(r, k)})`,
        (r, k) => `diag(${Mdd(r, k)})`,
        (r, k) => `${Vd(r, k)} * ${S(r, k)}`,
        (r, k) => `${Vd(r, k)} + ${Vd(r, k)}`,
        (r, k) => `square(${Vd(r, k)})`,
        (r, k) => `${Mdd(r, k)} @ ${Vd(r, k)}`,
        (r, k) => `${Vd(r, k)} @ ${Mdd(r, k)}`,
      ],
    },
    Mnd: {
      leaves: [(r) => r.pick(['Z', 'W', 'Z_t', 'Z_t+1'])],
      nodes: [
        (r, k) => `center(${Mnd(r, k)})`,
        (r, k) => `rownorm(${Mnd(r, k)})`,
        (r, k) => `${Mnd(r, k)} * ${number(r)}`,
        (r, k) => `${Mnd(r, k)} + ${Mnd(r, k)}`,
        (r, k) => `${Mnd(r, k)} - ${Mnd(r, k)} * ${number(r)}`,
        (r, k) => `${Mnd(r, k)} * ${Mnd(r, k)}`,
        (r, k) => `softplus(${Mnd(r, k)})`,
        (r, k) => `${Mnd(r, k)} @ ${Mdd(r, k)}`,
        (r, k) => `exp(${Mnd(r, k)} / 4)`,
        (r, k) => `${Mnd(r, k)} ^ 3`,
        (r, k) => `t(t(${Mnd(r, k)}))`,
        (r, k) => `(${Mnd(r, k)} @ P) @ t(P)`,
        (r, k) => `${Mnd(r, k)} + ${Vd(r, k)}`,
        (r, k) => `${Mnd(r, k)} * ${Vd(r, k)}`,
      ],
    },
    Mdd: {
      leaves: [(r) => `cov(${r.pick(['Z', 'W'])})`, () => 'eye(cols(Z))'],
      nodes: [
        (r, k) => `cov(${Mnd(r, k)})`,
        (r, k) => `gram(${Mnd(r, k)})`,
        (r, k) => `corr(${Mnd(r, k)})`,
        (r, k) => `offdiag(${Mdd(r, k)})`,
        (r, k) => `${Mdd(r, k)} + ${Mdd(r, k)} * ${number(r)}`,
        (r, k) => `t(${Mdd(r, k)})`,
        (r, k) => `${Mdd(r, k)} @ ${Mdd(r, k)}`,
        (r, k) => `xcov(${Mnd(r, k)}, ${Mnd(r, k)}) + t(xcov(${Mnd(r, k)}, ${Mnd(r, k)}))`,
      ],
    },
    Mnn: {
      leaves: [(r) => `pdist2(${r.pick(['Z', 'W'])})`],
      nodes: [(r, k) => `pdist2(${Mnd(r, k)})`, (r, k) => `${Mnd(r, k)} @ t(${Mnd(r, k)})`],
    },
  };
}

function generate(t: Type, r: Source, depth: number): string {
  const table = rules(generate)[t];
  if (depth <= 0 || r.uniform() < 0.25) return r.pick(table.leaves)(r, depth);
  // Parenthesised, so that a composite argument keeps its meaning under any operator.
  return `(${r.pick(table.nodes)(r, depth)})`;
}

/**
 * Source text of a random well-typed expression of type `t` drawn from `seed`; it may read Z, W,
 * Z_t, Z_t+1 and the params of PARAM_DECLS.
 */
export function randomExpression(t: Type, seed: number, maxDepth: number): string {
  const r = new Source(seed);
  return generate(t, r, 1 + Math.floor(r.uniform() * maxDepth));
}

/** The declarations of every param random expressions may read, each line ending in a newline. */
export const PARAM_HEADER = PARAM_DECLS.map(({ decl }) => `${decl}\n`).join('');

const SIZES: readonly [number, number][] = [
  [7, 3],
  [3, 5],
  [6, 4],
  [4, 4],
  [9, 2],
];

/** Random scalar objectives with their batch size n and width d (n < d included). */
export function randomObjective(maxDepth = 3): fc.Arbitrary<RandomObjective> {
  return fc.tuple(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: SIZES.length - 1 })).map(([seed, size]) => {
    const r = new Source(seed);
    const [n, d] = SIZES[size];
    const body = generate('S', r, 1 + Math.floor(r.uniform() * maxDepth));
    const params = PARAM_DECLS.filter(({ name }) => new RegExp(`\\b${name}\\b`).test(body)).map(({ decl }) => `${decl}\n`);
    // A param's symbolic dimensions are an input's: Z declares d even where the body reads no input.
    const header = params.length > 0 ? ['input Z : [n, d]\n', ...params] : [];
    return { source: header.join('') + body, n, d };
  });
}
