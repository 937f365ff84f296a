import type { Dim } from '../../ir/shape.ts';
import type { ElemType, OnnxAttr, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-model.ts';

/**
 * Builds one ONNX graph node by node: fresh value names, int64 constants shared per value, and
 * dimensions as int64 [1] tensors. A symbolic dimension becomes a graph input `dim:<name>`, fed by
 * the executor at run time, so that one session serves every batch size.
 */
export class GraphEmitter {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly dimInputs = new Map<string, string>();
  private readonly constants = new Map<string, string>();
  private fresh = 0;

  name(prefix: string): string {
    return `${prefix}${this.fresh++}`;
  }

  /** Adds a node with one output and returns the output's name. */
  op(op: string, inputs: readonly string[], attrs?: Record<string, OnnxAttr>): string {
    const output = this.name('t');
    this.nodes.push({ op, inputs, outputs: [output], ...(attrs === undefined ? {} : { attrs }) });
    return output;
  }

  /** An int64 vector constant (shared between uses). */
  ints(values: readonly number[]): string {
    return this.constant('int64', values, [values.length]);
  }

  /** A float32 scalar constant (shared between uses). */
  scalar(value: number): string {
    return this.constant('float', [value], []);
  }

  private constant(type: ElemType, values: readonly number[], dims: readonly number[]): string {
    const key = `${type}:${dims.join('x')}:${values.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.name('c');
      const data = type === 'int64' ? BigInt64Array.from(values.map((v) => BigInt(v))) : Float32Array.from(values);
      this.initializers.push({ name, type, dims, data });
      this.constants.set(key, name);
    }
    return name;
  }

  /** A dimension as an int64 [1] tensor. */
  dim(dim: Dim): string {
    if (typeof dim === 'number') return this.ints([dim]);
    let name = this.dimInputs.get(dim);
    if (name === undefined) {
      name = `dim:${dim}`;
      this.dimInputs.set(dim, name);
    }
    return name;
  }

  /** A shape as an int64 [rank] tensor. */
  shape(dims: readonly Dim[]): string {
    if (dims.every((d) => typeof d === 'number')) return this.ints(dims as number[]);
    return this.op('Concat', dims.map((d) => this.dim(d)), { axis: { int: 0 } });
  }

  /** a + b, a - b or a * b of two dimensions, folded when both are numbers. */
  dimArith(kind: 'Add' | 'Sub' | 'Mul', a: Dim, b: Dim): string {
    if (typeof a === 'number' && typeof b === 'number') {
      return this.ints([kind === 'Add' ? a + b : kind === 'Sub' ? a - b : a * b]);
    }
    return this.op(kind, [this.dim(a), this.dim(b)]);
  }

  dimInfos(): OnnxValueInfo[] {
    return [...this.dimInputs.values()].map((name) => ({ name, type: 'int64', shape: [1] }));
  }
}

/** A float32 tensor attribute holding one value (ConstantOfShape's fill). */
export function fillValue(value: number): OnnxAttr {
  return { tensor: { name: '', type: 'float', dims: [1], data: Float32Array.of(value) } };
}
