import { ASSUMED_OTHER_SIZE, ASSUMED_SIZES, programFlops } from './cost.ts';
import type { ObjectiveParam } from './front-end/elaborate.ts';
import type { AttrValue, Program } from './ir/node.ts';
import { formatShape } from './ir/shape.ts';
import { topoOrder } from './ir/node.ts';
import type { PassLog } from './passes/pass.ts';
import { formatValueType } from './ops/host-ops.ts';
import { opDef, type OpName } from './ops/registry.ts';

export interface ExplainJson {
  /** One entry per node of the program, in evaluation order. A host op's shape is that of its last part (`eigh`: its vectors). */
  readonly ops: { op: OpName; shape: (number | string)[] }[];
  /** `pass/rule` of every rewrite that fired, in first-firing order, without repeats. */
  readonly rewrites: string[];
  /** The same with phases and counts. */
  readonly rewriteCounts: PassLog[];
  /** Estimated FLOPs for one evaluation, symbolic dimensions taken from `assumedSizes`. */
  readonly flops: number;
  /** The estimate as a polynomial in the symbolic dimensions, e.g. `2·d²·n + 9·d³`. */
  readonly flopsFormula: string;
  /** The sizes used for dimensions that the program leaves symbolic and `sizes` did not give. */
  readonly assumedSizes: Record<string, number>;
  /** The objective's params (inputs whose value training owns), with their initialisation. */
  readonly params: { name: string; shape: (number | string)[]; init: string }[];
}

/** `W1 : matrix[d, 16] = glorot, b : scalar = zeros`. */
export function describeParams(params: readonly ObjectiveParam[]): string {
  return params.map((p) => `${p.name} : ${formatShape(p.shape)} = ${p.init}`).join(', ');
}

function formatAttr(value: AttrValue): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

/**
 * The program in SSA form, one node a line, numbered in evaluation order:
 * `%7 = matmul %3, %5 : matrix[d, d]`, then the outputs (`value = %12`).
 */
export function printProgram(program: Program): string {
  const order = topoOrder(program.outputs.map((o) => o.node));
  const names = new Map<number, string>();
  const lines: string[] = [];
  for (const node of order) {
    const name = `%${names.size}`;
    names.set(node.id, name);
    const operands = node.inputs.map((input) => names.get(input.id)!).join(', ');
    let attrs = '';
    const bare = opDef(node.op).printedAttr;
    if (bare !== undefined) attrs = String(node.attrs[bare]);
    else {
      // Shapes are printed after the colon; other attributes in braces.
      const shown = Object.keys(node.attrs)
        .filter((key) => key !== 'shape')
        .sort()
        .map((key) => `${key}=${formatAttr(node.attrs[key])}`);
      if (shown.length > 0) attrs = `{${shown.join(', ')}}`;
    }
    const rhs = [node.op, [operands, attrs].filter((part) => part !== '').join(' ')].filter((part) => part !== '').join(' ');
    lines.push(`${name} = ${rhs} : ${formatValueType(node)}`);
  }
  for (const output of program.outputs) lines.push(`${output.name} = ${names.get(output.node.id)}`);
  return lines.join('\n');
}

/**
 * What `dflc compile --explain` shows: the optimised program in SSA form, the rewrites that
 * fired (from the pipeline's log), and a FLOP estimate (compiler/cost.ts). The estimate is a
 * formula in the symbolic dimensions; its number binds them from `sizes`, and any still unbound
 * from `ASSUMED_SIZES` (n = 4096, d = 256, others 256), which the text and json say.
 */
export function explain(
  program: Program,
  log: readonly PassLog[],
  options: { sizes?: ReadonlyMap<string, number>; params?: readonly ObjectiveParam[] } = {},
): { text: string; json: ExplainJson } {
  const params = options.params ?? [];
  const order = topoOrder(program.outputs.map((o) => o.node));
  const formula = programFlops(program);
  const sizes = new Map(options.sizes ?? []);
  const assumed: Record<string, number> = {};
  for (const symbol of formula.symbols) {
    if (sizes.has(symbol)) continue;
    const size = ASSUMED_SIZES.get(symbol) ?? ASSUMED_OTHER_SIZE;
    assumed[symbol] = size;
    sizes.set(symbol, size);
  }
  const flops = formula.evaluate(sizes);

  const rewrites = [...new Set(log.map((entry) => `${entry.pass}/${entry.rule}`))];
  const rewriteLines =
    log.length === 0
      ? ['  (none)']
      : log.map((entry) => `  ${entry.phase.padEnd(7)} ${`${entry.pass}/${entry.rule}`.padEnd(40)} ×${entry.count}`);
  const assumedText = Object.entries(assumed)
    .map(([name, size]) => `${name}=${size}`)
    .join(', ');
  const text = [
    ...(params.length === 0 ? [] : [`params (inputs that dflc run trains with the encoder): ${describeParams(params)}`]),
    `program (${order.length} nodes):`,
    printProgram(program)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
    `rewrites fired:`,
    ...rewriteLines,
    `cost: ${formula.toString()} flops` +
      (formula.symbols.length > 0 ? ` ≈ ${flops.toExponential(2)}` + (assumedText ? ` (assuming ${assumedText})` : '') : ''),
  ].join('\n');

  return {
    text,
    json: {
      ops: order.map((node) => ({ op: node.op, shape: [...node.shape] })),
      rewrites,
      rewriteCounts: [...log],
      flops,
      flopsFormula: formula.toString(),
      assumedSizes: assumed,
      params: params.map((p) => ({ name: p.name, shape: [...p.shape], init: p.init })),
    },
  };
}
