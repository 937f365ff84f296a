import { topoOrder, type Node, type Program } from '../../ir/node.ts';
import { LocalNames } from './identifiers.ts';

/** Names a generated module declares itself; no local may shadow them. */
export const MODULE_NAMES = [
  'tf',
  'hostEigh',
  'rowIds',
  'bindInputSizes',
  'InputSignature',
  'INPUTS',
  'inputs',
  'objective',
  'valueAndGrad',
  'ObjectiveInputs',
  'ObjectiveGradients',
  'ObjectiveValueAndGrad',
] as const;

/**
 * The identifiers of one generated module. Node `%k` of the program (numbered in evaluation order,
 * as `dflc compile --explain` prints it) is the local `tk`; an input node is the sanitised input
 * name; a symbolic dimension is its sanitised name. Locals are unique across the whole module, so
 * neither function of it shadows anything.
 */
export class ModuleNames {
  /** Every node of the program in evaluation order: the numbering of `--explain`. */
  readonly order: readonly Node[];
  private readonly locals = new Map<number, string>();
  private readonly dims = new Map<string, string>();

  constructor(program: Program) {
    this.order = topoOrder(program.outputs.map((output) => output.node));
    const names = new LocalNames();
    names.reserve(MODULE_NAMES);
    names.reserve(this.order.map((_, k) => `t${k}`));
    for (const input of program.inputs) {
      for (const dim of input.shape) {
        if (typeof dim === 'string' && !this.dims.has(dim)) this.dims.set(dim, names.take(dim));
      }
    }
    const inputLocals = new Map(program.inputs.map((input) => [input.name, names.take(input.name)]));
    this.order.forEach((node, k) => {
      const input = node.op === 'input' ? inputLocals.get(String(node.attrs.name)) : undefined;
      this.locals.set(node.id, input ?? `t${k}`);
    });
  }

  /** The local holding `node`'s value. */
  local(node: Node): string {
    const local = this.locals.get(node.id);
    if (local === undefined) throw new RangeError(`typescript backend: node ${node.id} (${node.op}) is not in the program`);
    return local;
  }

  /** The local holding a symbolic dimension's size; only the inputs' shapes bind dimensions. */
  dim(dim: string): string {
    const local = this.dims.get(dim);
    if (local === undefined) {
      throw new RangeError(`typescript backend: dimension '${dim}' is not bound by any input's shape`);
    }
    return local;
  }

  /** The symbolic dimensions in the order the inputs first name them. */
  symbolicDims(): string[] {
    return [...this.dims.keys()];
  }
}
