import fc from 'fast-check';
import { evaluateNodes } from '../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../compiler/ir/builder.ts';
import { topoOrder, type Node, type Program, type ProgramInput } from '../../compiler/ir/node.ts';
import { formatShape, SCALAR, type Dim, type Shape } from '../../compiler/ir/shape.ts';
import { isTuple, tensor64, type Tensor64, type Value } from '../../compiler/ir/tensor.ts';
import type { OpName } from '../../compiler/ops/registry.ts';
import { seededUniform } from './finite-diff.ts';
import { OWN, POSITIVE, randomlyUsedAs, SMOOTH } from './op-rows.ts';

/**
 * A fast-check generator of random, well-shaped IR programs with one scalar output `value`, plus
 * float64 inputs on which the program is smooth, for gradient and backend conformance tests.
 *
 * Programs are typed by construction: `expr(shape)` picks, from the PRODUCERS table, a rule that
 * can make that shape and asks for operands of the shapes the rule needs. Dimensions are the
 * symbolic `n` and `d` (concrete sizes 1..4, so n < d, n = d and n > d all occur) and the numeric 2.
 * Every choice reads a tape of numbers where 0 means "the simplest option" (a leaf), so fast-check
 * shrinks a failing program towards a small one. `stop_gradient` is left out: finite differences
 * see through it (the autodiff tests cover it on their own).
 *
 * Values stay in each op's smooth domain: `log`, `sqrt`, divisors and non-integer powers see
 * `positive(x)` (x² + 1, softplus(x) + 1/4, sigmoid(x) or eˣ); integer powers take any base;
 * eigenvalues are taken of symmetric matrices (S + Sᵀ or XᵀX). Kinks are not avoided by
 * construction but checked on the drawn inputs: relu/abs/step/sign inputs away from 0,
 * maximum/minimum/eq operands apart, max/min reductions without ties, eigenvalues apart, all at
 * least KINK_MARGIN relative to the values' scale, and every value finite and at most
 * MAX_MAGNITUDE. Samples that fail are filtered out.
 */

export interface RandomProgram {
  readonly program: Program;
  readonly inputs: Map<string, Tensor64>;
  readonly sizes: Map<string, number>;
  /** The ops the program uses (for coverage checks). */
  readonly ops: ReadonlySet<OpName>;
  /**
   * The distance, relative to the values' scale, from `at` to the nearest kink, tie or eigenvalue
   * crossing of the program (0 when a value is not finite or too large).
   */
  readonly smoothness: (at: ReadonlyMap<string, Tensor64>) => number;
  /** The program as text, for counterexamples. */
  toString(): string;
}

export interface RandomProgramOptions {
  /** Depth of the expression tree below the root (default 4). */
  readonly maxDepth?: number;
}

export const KINK_MARGIN = 1e-2;
export const MAX_MAGNITUDE = 1e4;
/** Choices per program; shrinking turns them to 0, the simplest option. */
const TAPE_LENGTH = 400;
/** Below the maximum depth, an expression is a leaf with probability 1/LEAF_ODDS. */
const LEAF_ODDS = 10;

const DIMS: readonly Dim[] = ['n', 'd', 2];
const INPUT_NAMES = ['Z', 'Z_t', 'Z_t+1', 'A', 'B', 'C', 'D', 'E'];
const CONSTANTS = [0.5, -1.25, 2, 3];

/**
 * How random programs use each op is part of its test entry (OP_TESTS[op].random in op-rows.ts):
 * a smooth unary op (SMOOTH, or POSITIVE for one smooth for x > 0) needs nothing here.
 */
const SMOOTH_UNARY = randomlyUsedAs(SMOOTH);
const POSITIVE_UNARY = randomlyUsedAs(POSITIVE);

/** The differentiable ops a random program may use. */
export const DIFFERENTIABLE_OPS: readonly OpName[] = [...SMOOTH_UNARY, ...POSITIVE_UNARY, ...randomlyUsedAs(OWN)];

/** A relative distance to a kink, computed from the node values of one evaluation. */
type Check = (value: (node: Node) => Tensor64) => number;

/** Reads the choice tape; 0, the simplest option, once it runs out. */
class Tape {
  private next = 0;
  constructor(private readonly tape: readonly number[]) {}
  pick(count: number): number {
    return this.next < this.tape.length ? this.tape[this.next++] % count : 0;
  }
  oneOf<T>(items: readonly T[]): T {
    return items[this.pick(items.length)];
  }
}

function maxAbs(t: Tensor64): number {
  let m = 0;
  for (const x of t.data) m = Math.max(m, Math.abs(x));
  return m;
}

/** The entries of x and y as pairs, a scalar side broadcast. */
function pairs(x: Tensor64, y: Tensor64): [number, number][] {
  const count = Math.max(x.data.length, y.data.length);
  return Array.from({ length: count }, (_, i) => [x.data[x.data.length === 1 ? 0 : i], y.data[y.data.length === 1 ? 0 : i]]);
}

const checks = {
  /** Every entry away from 0 (kinks of relu, abs, step, sign; poles of log, 1/x). */
  awayFromZero: (x: Node): Check => (value) => {
    const t = value(x);
    return Math.min(...Array.from(t.data, Math.abs)) / Math.max(1, maxAbs(t));
  },
  /** x and y apart entry by entry (kinks of maximum, minimum; jumps of eq). */
  apart: (x: Node, y: Node): Check => (value) => {
    const [tx, ty] = [value(x), value(y)];
    return Math.min(...pairs(tx, ty).map(([a, b]) => Math.abs(a - b))) / Math.max(1, maxAbs(tx), maxAbs(ty));
  },
  /** All entries apart (eigenvalues: each one's derivative needs a gap to its neighbours). */
  allDistinct: (x: Node): Check => (value) => {
    const t = value(x);
    if (t.data.length < 2) return Infinity;
    const sorted = Array.from(t.data).sort((a, b) => a - b);
    let gap = Infinity;
    for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
    return gap / Math.max(1, maxAbs(t));
  },
  /** The largest (smallest) entry apart from the next one. */
  extremeUnique: (x: Node, largest: boolean): Check => (value) => {
    const t = value(x);
    if (t.data.length < 2) return Infinity;
    const sorted = Array.from(t.data).sort((a, b) => (largest ? b - a : a - b));
    return Math.abs(sorted[0] - sorted[1]) / Math.max(1, maxAbs(t));
  },
};

type Producer = {
  /** The ops the rule can emit (documentation and coverage). */
  readonly ops: readonly OpName[];
  /** How often it is picked relative to others (default 1): shape-changing rules get more. */
  readonly weight?: number;
  readonly applies: (shape: Shape, g: ProgramGen) => boolean;
  readonly build: (g: ProgramGen, shape: Shape, depth: number) => Node;
};

const anyShape = (): boolean => true;
const isScalar = (shape: Shape): boolean => shape.length === 0;
const isVector = (shape: Shape): boolean => shape.length === 1;
const isMatrix = (shape: Shape): boolean => shape.length === 2;

/** Every way to build an expression, by the shape it makes. Index 0 is the simplest. */
const PRODUCERS: readonly Producer[] = [
  {
    ops: SMOOTH_UNARY,
    applies: anyShape,
    build: (g, shape, depth) => g.b.make(g.t.oneOf(SMOOTH_UNARY), [g.expr(shape, depth)]),
  },
  {
    ops: POSITIVE_UNARY,
    applies: anyShape,
    build: (g, shape, depth) => g.b.make(g.t.oneOf(POSITIVE_UNARY), [g.positive(g.expr(shape, depth))]),
  },
  {
    ops: ['abs', 'relu', 'step', 'sign'],
    applies: anyShape,
    build: (g, shape, depth) => {
      const x = g.expr(shape, depth);
      g.checks.push(checks.awayFromZero(x));
      return g.b.make(g.t.oneOf(['abs', 'relu', 'abs', 'relu', 'step', 'sign'] as const), [x]);
    },
  },
  {
    ops: ['add', 'sub', 'mul'],
    applies: anyShape,
    build: (g, shape, depth) => g.b.make(g.t.oneOf(['add', 'sub', 'mul'] as const), g.operands(shape, depth)),
  },
  {
    ops: ['div'],
    applies: anyShape,
    build: (g, shape, depth) => {
      const [x, y] = g.operands(shape, depth);
      return g.b.make('div', [x, g.positive(y)]);
    },
  },
  {
    ops: ['pow'],
    applies: anyShape,
    build: (g, shape, depth) => {
      const base = g.expr(shape, depth);
      switch (g.t.pick(3)) {
        case 0: // integer exponent, any base (negative bases included)
          return g.b.make('pow', [base, g.constant(g.t.oneOf([2, 3]))]);
        case 1: // fractional or negative exponent, positive base
          return g.b.make('pow', [g.positive(base), g.constant(g.t.oneOf([0.5, -1, 1.5]))]);
        default: // an exponent that depends on the inputs: exercises p̄
          return g.b.make('pow', [g.positive(base), g.expr(SCALAR, depth)]);
      }
    },
  },
  {
    ops: ['maximum', 'minimum', 'eq'],
    applies: anyShape,
    build: (g, shape, depth) => {
      const [x, y] = g.operands(shape, depth);
      g.checks.push(checks.apart(x, y));
      return g.b.make(g.t.oneOf(['maximum', 'minimum', 'maximum', 'minimum', 'eq'] as const), [x, y]);
    },
  },
  {
    ops: ['broadcast'],
    weight: 3,
    applies: (shape) => !isScalar(shape),
    build: (g, shape, depth) => g.b.make('broadcast', [g.expr(SCALAR, depth)], { shape }),
  },
  {
    ops: ['sum'],
    weight: 3,
    applies: isScalar,
    build: (g, _shape, depth) => g.b.make('sum', [g.expr(g.randomShape(), depth)]),
  },
  {
    ops: ['max', 'min'],
    weight: 3,
    applies: isScalar,
    build: (g, _shape, depth) => {
      const x = g.expr(g.randomShape(), depth);
      const op = g.t.oneOf(['max', 'min'] as const);
      g.checks.push(checks.extremeUnique(x, op === 'max'));
      return g.b.make(op, [x]);
    },
  },
  {
    ops: ['sum_rows', 'sum_cols'],
    weight: 3,
    applies: isVector,
    build: (g, [k], depth) =>
      g.t.pick(2) === 0
        ? g.b.make('sum_rows', [g.expr([g.randomDim(), k], depth)])
        : g.b.make('sum_cols', [g.expr([k, g.randomDim()], depth)]),
  },
  {
    ops: ['diag'],
    weight: 3,
    applies: isVector,
    build: (g, [k], depth) => g.b.make('diag', [g.expr([k, k], depth)]),
  },
  {
    ops: ['eigh', 'eigvals'],
    weight: 3,
    applies: isVector,
    build: (g, [k], depth) => {
      const values = g.b.make('eigvals', [g.b.make('eigh', [g.symmetric(k, depth)])]);
      // A structurally zero eigenvalue (of a rank-deficient product) is rounding noise: finite
      // differences of it measure nothing, so such samples are not smooth enough to test on.
      g.checks.push(checks.allDistinct(values), checks.awayFromZero(values));
      return values;
    },
  },
  {
    ops: ['pad', 'slice'],
    weight: 3,
    applies: isVector,
    build: (g, [k], depth) => {
      const shorter = DIMS.filter((m) => g.size(m) <= g.size(k));
      const longer = DIMS.filter((m) => g.size(m) >= g.size(k));
      return g.t.pick(2) === 0
        ? g.b.make('pad', [g.expr([g.t.oneOf(shorter)], depth)], { length: k })
        : g.b.make('slice', [g.expr([g.t.oneOf(longer)], depth)], { length: k });
    },
  },
  {
    ops: ['matmul'],
    weight: 3,
    applies: isMatrix,
    build: (g, [r, c], depth) => {
      const k = g.randomDim();
      return g.b.make('matmul', [g.expr([r, k], depth), g.expr([k, c], depth)]);
    },
  },
  {
    ops: ['transpose'],
    weight: 3,
    applies: isMatrix,
    build: (g, [r, c], depth) => g.b.make('transpose', [g.expr([c, r], depth)]),
  },
  {
    ops: ['bcast_rows', 'bcast_cols'],
    weight: 3,
    applies: isMatrix,
    build: (g, [r, c], depth) =>
      g.t.pick(2) === 0
        ? g.b.make('bcast_rows', [g.expr([c], depth)], { rows: r })
        : g.b.make('bcast_cols', [g.expr([r], depth)], { cols: c }),
  },
  {
    ops: ['diag_embed'],
    weight: 3,
    applies: (shape) => isMatrix(shape) && shape[0] === shape[1],
    build: (g, [k], depth) => g.b.make('diag_embed', [g.expr([k], depth)]),
  },
];

class ProgramGen {
  readonly b = new IrBuilder();
  readonly checks: Check[] = [];
  readonly inputs: { name: string; shape: Shape; node: Node }[] = [];

  constructor(
    readonly t: Tape,
    readonly sizes: ReadonlyMap<string, number>,
  ) {}

  size(dim: Dim): number {
    return typeof dim === 'number' ? dim : this.sizes.get(dim)!;
  }

  randomDim(): Dim {
    return this.t.oneOf(DIMS);
  }

  randomShape(): Shape {
    return this.t.oneOf<Shape>([[this.randomDim(), this.randomDim()], [this.randomDim()], SCALAR]);
  }

  /** An expression of `shape`: a leaf at depth 0 (and on the tape's 0), else a producer's. */
  expr(shape: Shape, depth: number): Node {
    if (depth <= 0 || this.t.pick(LEAF_ODDS) === 0) return this.leaf(shape);
    return this.produce(shape, depth);
  }

  produce(shape: Shape, depth: number): Node {
    const weighted = PRODUCERS.filter((p) => p.applies(shape, this)).flatMap((p) => Array<Producer>(p.weight ?? 1).fill(p));
    return this.t.oneOf(weighted).build(this, shape, depth - 1);
  }

  /** Two operands for an elementwise binary op: both of `shape`, or one of them a scalar. */
  operands(shape: Shape, depth: number): [Node, Node] {
    const side = isScalar(shape) ? 0 : this.t.pick(3);
    const x = this.expr(side === 1 ? SCALAR : shape, depth);
    const y = this.expr(side === 2 ? SCALAR : shape, depth);
    return [x, y];
  }

  constant(value: number, shape: Shape = SCALAR): Node {
    return this.b.make('const', [], { value, shape });
  }

  /** An input (new or reused: half the time), a constant, `dimsize` or `eye`. */
  leaf(shape: Shape): Node {
    const sameShape = this.inputs.filter((input) => formatShape(input.shape) === formatShape(shape));
    switch (this.t.pick(6)) {
      case 0:
      case 1:
        return this.input(shape, sameShape);
      case 2:
        return sameShape.length > 0 ? this.t.oneOf(sameShape).node : this.input(shape, sameShape);
      case 3:
        return isScalar(shape) ? this.b.make('dimsize', [], { dim: this.randomDim() }) : this.constant(this.t.oneOf(CONSTANTS), shape);
      case 4:
        return isMatrix(shape) && shape[0] === shape[1] ? this.b.make('eye', [], { n: shape[0] }) : this.constant(this.t.oneOf(CONSTANTS), shape);
      default:
        return this.constant(this.t.oneOf(CONSTANTS), shape);
    }
  }

  /** A new input of `shape`, or an existing one once the names run out. */
  input(shape: Shape, sameShape: readonly { node: Node }[]): Node {
    if (this.inputs.length >= INPUT_NAMES.length) {
      return sameShape.length > 0 ? sameShape[0].node : this.constant(this.t.oneOf(CONSTANTS), shape);
    }
    const name = INPUT_NAMES[this.inputs.length];
    const node = this.b.make('input', [], { name, shape });
    this.inputs.push({ name, shape, node });
    return node;
  }

  /** A value > 0 made from x by a smooth map. */
  positive(x: Node): Node {
    const b = this.b;
    const result = [
      () => b.make('add', [b.make('square', [x]), this.constant(1)]),
      () => b.make('add', [b.make('softplus', [x]), this.constant(0.25)]),
      () => b.make('sigmoid', [x]),
      () => b.make('exp', [x]),
    ][this.t.pick(4)]();
    this.checks.push(checks.awayFromZero(result));
    return result;
  }

  /** A symmetric matrix[k, k]: S + Sᵀ, or XᵀX with X of (preferably) at least k rows. */
  symmetric(k: Dim, depth: number): Node {
    const b = this.b;
    if (this.t.pick(2) === 0) {
      const s = this.expr([k, k], depth);
      return b.make('add', [s, b.make('transpose', [s])]);
    }
    const tall = DIMS.filter((m) => this.size(m) >= this.size(k));
    const x = this.expr([this.t.oneOf(tall), k], depth);
    return b.make('matmul', [b.make('transpose', [x]), x]);
  }
}

/** `%3 = matmul(%1, %2) : matrix[n, d]`, one line a node. */
export function formatProgram(program: Program): string {
  const lines = program.inputs.map((input) => `input ${input.name} : ${formatShape(input.shape)}`);
  for (const node of topoOrder(program.outputs.map((o) => o.node))) {
    const attrs = Object.keys(node.attrs).length > 0 ? ` ${JSON.stringify(node.attrs)}` : '';
    lines.push(`%${node.id} = ${node.op}(${node.inputs.map((i) => `%${i.id}`).join(', ')})${attrs} : ${formatShape(node.shape)}`);
  }
  for (const output of program.outputs) lines.push(`${output.name} = %${output.node.id}`);
  return lines.join('\n');
}

function build(n: number, d: number, tape: readonly number[], pool: readonly number[], maxDepth: number): RandomProgram {
  const sizes = new Map([['n', n], ['d', d]]);
  const g = new ProgramGen(new Tape(tape), sizes);
  // A value that no input reaches tests little: try again (a few times) on the rest of the tape.
  let value = g.produce(SCALAR, maxDepth + 1);
  for (let attempt = 0; attempt < 3 && g.inputs.length === 0; attempt++) {
    g.checks.length = 0;
    value = g.produce(SCALAR, maxDepth + 1);
  }
  const unused: ProgramInput[] = g.t.pick(4) === 1 ? [{ name: 'unused', shape: g.randomShape() }] : [];
  const program: Program = {
    inputs: [...g.inputs.map(({ name, shape }) => ({ name, shape })), ...unused],
    outputs: [{ name: 'value', node: value }],
  };
  let offset = 0;
  const inputs = new Map<string, Tensor64>();
  for (const { name, shape } of program.inputs) {
    const concrete = shape.map((dim) => g.size(dim));
    const tensor = tensor64(concrete);
    for (let i = 0; i < tensor.data.length; i++) tensor.data[i] = pool[offset++ % pool.length];
    inputs.set(name, tensor);
  }
  const ops = new Set(topoOrder([value]).map((node) => node.op));
  const smoothness = (at: ReadonlyMap<string, Tensor64>): number => {
    const values = evaluateNodes(program, at, sizes);
    let scale = 0;
    for (const v of values.values()) {
      for (const t of isTuple(v) ? v : [v]) {
        for (const x of t.data) if (!Number.isFinite(x)) return 0;
        scale = Math.max(scale, maxAbs(t));
      }
    }
    if (scale > MAX_MAGNITUDE) return 0;
    const tensorOf = (node: Node): Tensor64 => {
      const v: Value = values.get(node.id)!;
      return isTuple(v) ? v[0] : v;
    };
    return Math.min(Infinity, ...g.checks.map((check) => check(tensorOf)));
  };
  return { program, inputs, sizes, ops, smoothness, toString: () => `n=${n}, d=${d}\n${formatProgram(program)}` };
}

/**
 * Input values: ±[0.1, 2], uniform, from a seed. fast-check's own doubles favour 0, bounds and
 * tiny numbers, which here would only produce ties, kinks and vanishing gradients; those have
 * tests of their own.
 */
function valuePool(seed: number): number[] {
  const uniform = seededUniform(seed);
  return Array.from({ length: 64 }, () => (uniform() < 0.5 ? -1 : 1) * (0.1 + 1.9 * uniform()));
}

/** Random programs and inputs before the smoothness filter (some sit on kinks or overflow). */
export function candidatePrograms(options: RandomProgramOptions = {}): fc.Arbitrary<RandomProgram> {
  const maxDepth = options.maxDepth ?? 4;
  return fc
    .record({
      n: fc.integer({ min: 1, max: 4 }),
      d: fc.integer({ min: 1, max: 4 }),
      tape: fc.array(fc.nat({ max: 1 << 20 }), { minLength: TAPE_LENGTH, maxLength: TAPE_LENGTH }),
      valueSeed: fc.integer(),
    })
    .map(({ n, d, tape, valueSeed }) => build(n, d, tape, valuePool(valueSeed), maxDepth));
}

/** Random programs with inputs at which they are smooth (see the file comment). */
export function randomProgram(options: RandomProgramOptions = {}): fc.Arbitrary<RandomProgram> {
  return candidatePrograms(options).filter((sample) => sample.smoothness(sample.inputs) >= KINK_MARGIN);
}
