import { IrError } from '../../ir/ir-error.ts';
import { topoOrder, type Node, type Program } from '../../ir/node.ts';
import { bindDims } from '../../ir/bind-dims.ts';
import { bindShape, formatShape, sameShape, type Shape } from '../../ir/shape.ts';
import { isTuple, type Tensor64, type Value } from '../../ir/tensor.ts';
import { opDef } from '../../ops/registry.ts';

/**
 * The float64 reference interpreter: the specification of what a program means. Each node is
 * evaluated once, after its inputs, by its op's kernel; every result is checked against the
 * node's shape. Written to be trusted, not to be fast.
 */

/** The arrays given do not fit the program's inputs (missing, extra, or inconsistent sizes). */
export class BindingError extends Error {
  override name = 'BindingError';
}

function describeInputs(program: Program): string {
  return program.inputs.map((input) => `${input.name} ${formatShape(input.shape)}`).join(', ');
}

/** Missing or unexpected input names are one error that lists what the program needs. */
function checkNames(program: Program, inputs: ReadonlyMap<string, Tensor64>): void {
  const needed = new Set(program.inputs.map((input) => input.name));
  const missing = [...needed].filter((name) => !inputs.has(name));
  const extra = [...inputs.keys()].filter((name) => !needed.has(name));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [
    missing.length > 0 ? `missing input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    extra.length > 0 ? `unexpected input${extra.length > 1 ? 's' : ''} ${extra.join(', ')}` : '',
  ].filter((part) => part !== '');
  throw new BindingError(`${parts.join('; ')}: the objective needs ${describeInputs(program) || 'no inputs'}`);
}

/**
 * The arrays bound to the program's inputs, checked against `known` sizes. Binding is shape
 * bookkeeping, not arithmetic, so the oracle shares it (compiler/ir/bind-dims.ts) with the
 * executors without giving up its independence from them.
 */
function bindInputs(program: Program, inputs: ReadonlyMap<string, Tensor64>, known?: ReadonlyMap<string, number>): Map<string, number> {
  checkNames(program, inputs);
  const sources = program.inputs.map(({ name, shape }) => ({ label: `input '${name}'`, declared: shape, actual: inputs.get(name)!.shape }));
  return bindDims(sources, (message) => new BindingError(message), known);
}

/**
 * The sizes of the program's symbolic dimensions, read from the input arrays. Every input must
 * be given, nothing else, and a dimension must have one size in all of them: otherwise a
 * BindingError, e.g. "input 'Z_t+1' gives d = 6, but d is 8 in input 'Z'".
 */
export function inferSizes(program: Program, inputs: ReadonlyMap<string, Tensor64>): Map<string, number> {
  return bindInputs(program, inputs);
}

/** What a node's value must look like: one tensor of its shape, or a host op's tuple of parts. */
function expectedShapes(node: Node): readonly Shape[] {
  return opDef(node.op).partShapes?.(node.shape) ?? [node.shape];
}

function checkResult(node: Node, value: Value, sizes: ReadonlyMap<string, number>): void {
  const tensors = isTuple(value) ? value : [value];
  const shapes = expectedShapes(node);
  const fits = (tensor: Tensor64, shape: Shape): boolean =>
    sameShape(tensor.shape, bindShape(shape, sizes)) && tensor.data.length === tensor.shape.reduce((a, b) => a * b, 1);
  if (tensors.length !== shapes.length || tensors.some((tensor, i) => !fits(tensor, shapes[i]))) {
    const got = tensors.map((tensor) => `[${tensor.shape.join(', ')}]`).join(' and ');
    throw new IrError(`node ${node.id} (${node.op}) evaluated to ${got}, expected ${shapes.map(formatShape).join(' and ')}`);
  }
}

/** The value of every node reachable from the program's outputs, by node id. */
export function evaluateNodes(
  program: Program,
  inputs: ReadonlyMap<string, Tensor64>,
  sizes: ReadonlyMap<string, number>,
): Map<number, Value> {
  for (const dim of bindInputs(program, inputs, sizes).keys()) {
    if (!sizes.has(dim)) throw new BindingError(`dimension ${dim} of the inputs has no size among the sizes given`);
  }
  const declared = new Set(program.inputs.map((input) => input.name));
  const values = new Map<number, Value>();
  for (const node of topoOrder(program.outputs.map((output) => output.node))) {
    let value: Value;
    if (node.op === 'input') {
      const name = String(node.attrs.name);
      const array = inputs.get(name);
      if (array === undefined || !declared.has(name)) {
        throw new IrError(`input node '${name}' is not among the program's inputs (${describeInputs(program)})`);
      }
      value = array;
    } else {
      value = opDef(node.op).evaluate(
        node.inputs.map((input) => values.get(input.id)!),
        node.attrs,
        sizes,
      );
    }
    checkResult(node, value, sizes);
    values.set(node.id, value);
  }
  return values;
}

/** Evaluates a program on float64 arrays; returns each output by name. */
export function evaluate(
  program: Program,
  inputs: ReadonlyMap<string, Tensor64>,
  sizes: ReadonlyMap<string, number>,
): Map<string, Tensor64> {
  const values = evaluateNodes(program, inputs, sizes);
  const outputs = new Map<string, Tensor64>();
  for (const { name, node } of program.outputs) {
    const value = values.get(node.id)!;
    if (isTuple(value)) throw new IrError(`output ${name} is the tuple of an ${node.op} node, not a tensor`);
    outputs.set(name, value);
  }
  return outputs;
}
