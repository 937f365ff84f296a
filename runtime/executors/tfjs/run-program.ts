import * as tf from '@tensorflow/tfjs-core';
import { topoOrder, type Node, type Program } from '../../../compiler/ir/node.ts';
import type { Dim } from '../../../compiler/ir/shape.ts';
import type { OpName } from '../../../compiler/ops/registry.ts';
import { bindSizes, InputShapeError } from '../bind-sizes.ts';
import { checkKernels } from './kernel-check.ts';
import { tfjsLowerings, type LoweringContext, type TfjsLowering, type TfValue } from './lowering.ts';

export interface RunProgramOptions {
  /** Sizes of symbolic dimensions known in advance; the rest are bound from the input shapes. */
  readonly sizes?: ReadonlyMap<string, number>;
  /** The lowering table; tests pass hypothetical ones. */
  readonly table?: Readonly<Record<OpName, TfjsLowering>>;
}

/** What is computed once per program: the schedule and how many times each node is read. */
interface Plan {
  readonly order: readonly Node[];
  /** For each node id, how many input slots of later nodes read it. */
  readonly uses: ReadonlyMap<number, number>;
  readonly outputIds: ReadonlySet<number>;
  /** Backends (per table) this program has passed the kernel check on. */
  readonly checked: WeakMap<object, Set<string>>;
}

const plans = new WeakMap<Program, Plan>();

function planOf(program: Program): Plan {
  let plan = plans.get(program);
  if (plan === undefined) {
    const order = topoOrder(program.outputs.map((o) => o.node));
    const uses = new Map<number, number>();
    for (const node of order) for (const input of node.inputs) uses.set(input.id, (uses.get(input.id) ?? 0) + 1);
    plan = { order, uses, outputIds: new Set(program.outputs.map((o) => o.node.id)), checked: new WeakMap() };
    plans.set(program, plan);
  }
  return plan;
}

function tensorsOf(value: TfValue): readonly tf.Tensor[] {
  return Array.isArray(value) ? value : [value as tf.Tensor];
}

/**
 * Runs `program` on the active tfjs backend: every IR node is computed exactly once, in
 * topological order, and each intermediate tensor is disposed as soon as the last node reading it
 * has run. The IR already is the joint value-and-gradient program, so no tape is involved.
 *
 * The caller keeps owning `inputs` (they are never disposed) and owns the returned tensors, one per
 * program output, all distinct from each other and from the inputs. Before any work, the program's
 * kernels are checked against the backend (KernelUnavailableError) and the input shapes against
 * the program (InputShapeError). On an exception, every tensor made by the run is freed.
 */
export function runProgramTf(
  program: Program,
  inputs: ReadonlyMap<string, tf.Tensor>,
  options: RunProgramOptions = {},
): Map<string, tf.Tensor> {
  const table = options.table ?? tfjsLowerings;
  const plan = planOf(program);
  const backend = tf.getBackend();
  let checked = plan.checked.get(table);
  if (checked === undefined) plan.checked.set(table, (checked = new Set()));
  if (!checked.has(backend)) {
    checkKernels(program, backend, table);
    checked.add(backend);
  }
  for (const [name, t] of inputs) {
    if (t.dtype !== 'float32') throw new InputShapeError(`input '${name}' should be float32, got ${t.dtype}`);
    if (t.isDisposed) throw new InputShapeError(`input '${name}' is a disposed tensor`);
  }
  const sizes = bindSizes(
    program,
    new Map([...inputs].map(([name, t]) => [name, t.shape])),
    options.sizes,
  );
  const ctx: LoweringContext = {
    dim(dim: Dim): number {
      if (typeof dim === 'number') return dim;
      const size = sizes.get(dim);
      if (size === undefined) throw new InputShapeError(`dimension '${dim}' is not bound by any input's shape`);
      return size;
    },
    input(name: string): tf.Tensor {
      const t = inputs.get(name);
      if (t === undefined) throw new InputShapeError(`input '${name}' is not given`);
      return t;
    },
  };

  const callerOwned = new Set(inputs.values());
  const outputs = tf.tidy(() => {
    const values = new Map<number, TfValue>();
    const remaining = new Map(plan.uses);
    // How many live node values hold each tensor: lowerings may alias (stop_gradient, eigvals).
    const holders = new Map<tf.Tensor, number>();
    const release = (node: Node) => {
      const value = values.get(node.id)!;
      values.delete(node.id);
      for (const t of tensorsOf(value)) {
        const left = holders.get(t)! - 1;
        if (left > 0) holders.set(t, left);
        else {
          holders.delete(t);
          if (!callerOwned.has(t)) t.dispose();
        }
      }
    };
    for (const node of plan.order) {
      const args = node.inputs.map((input) => values.get(input.id)!);
      const value = table[node.op].lower(args, node.attrs, ctx, node);
      for (const t of tensorsOf(value)) holders.set(t, (holders.get(t) ?? 0) + 1);
      values.set(node.id, value);
      for (const input of node.inputs) {
        const left = remaining.get(input.id)! - 1;
        remaining.set(input.id, left);
        if (left === 0 && !plan.outputIds.has(input.id)) release(input);
      }
    }
    // One distinct tensor per output name: clone where an output is an input or repeats another.
    const seen = new Set<tf.Tensor>(callerOwned);
    return program.outputs.map(({ name, node }) => {
      const value = values.get(node.id)!;
      if (Array.isArray(value)) throw new TypeError(`output '${name}' is the tuple of '${node.op}', not a tensor`);
      const t = value as tf.Tensor;
      if (!seen.has(t)) {
        seen.add(t);
        return t;
      }
      return tf.clone(t);
    });
  });
  return new Map(program.outputs.map(({ name }, i) => [name, outputs[i]]));
}
