import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { Node, Program } from '../../ir/node.ts';
import type { Dim } from '../../ir/shape.ts';
import type { Executor, ExecutorLoop, Float32Tensor, LoopOptions } from '../executor.ts';
import { hostRowIds } from '../host-row-ids.ts';
import { loopOverRun } from '../run-loop.ts';
import { bindSizes, InputShapeError } from '../tfjs/bind-sizes.ts';
import { hostEigh } from '../tfjs/host-eigh.ts';
import { compileStage, type CompiledStage } from './compile-stage.ts';
import { loadOrt, type Ort } from './load-ort.ts';
import { planStages, type StagePlan } from './stages.ts';

/** ONNX Runtime refused or failed a run; the message is its own, prefixed with the stage. */
export class OnnxRuntimeError extends Error {
  override name = 'OnnxRuntimeError';
}

export interface OnnxExecutorOptions {
  /** Threads inside one op (ORT's intra-op pool); default: ORT's choice, one per physical core. */
  readonly threads?: number;
}

/** An index input checked on the host before a run: ids must name rows of `rows`. */
interface IdCheck {
  readonly op: string;
  readonly input: string;
  readonly rows: Dim;
}

interface Prepared {
  readonly plan: StagePlan;
  readonly stages: readonly CompiledStage[];
  readonly sessions: readonly InferenceSession[];
  readonly idChecks: readonly IdCheck[];
  /** eigvals / eigvecs nodes by the id of the eigh they select from. */
  readonly selections: ReadonlyMap<number, readonly Node[]>;
}

function idChecks(plan: StagePlan): IdCheck[] {
  const checks: IdCheck[] = [];
  const add = (op: string, ids: Node, rows: Dim) => {
    if (ids.op === 'input') checks.push({ op, input: String(ids.attrs.name), rows });
  };
  for (const stage of plan.stages) {
    for (const node of stage.nodes) {
      if (node.op === 'gather') add('gather', node.inputs[1], node.inputs[0].shape[0]);
      if (node.op === 'scatter_add') add('scatter_add', node.inputs[1], node.shape[0]);
      if (node.op === 'segment_pool') {
        add('segment_pool (ids)', node.inputs[1], node.inputs[0].shape[0]);
        add('segment_pool (rows)', node.inputs[3], node.shape[0]);
      }
    }
  }
  return checks;
}

function selectionsOf(program: Program, plan: StagePlan): Map<number, Node[]> {
  const selections = new Map<number, Node[]>(plan.eighs.map(({ node }) => [node.id, []]));
  const seen = new Set<number>();
  const visit = (node: Node) => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    if ((node.op === 'eigvals' || node.op === 'eigvecs') && selections.has(node.inputs[0].id)) selections.get(node.inputs[0].id)!.push(node);
    node.inputs.forEach(visit);
  };
  // Iterating the stages' node lists and reads covers every selection some graph or output uses.
  for (const stage of plan.stages) [...stage.nodes, ...stage.reads].forEach(visit);
  program.outputs.forEach((o) => visit(o.node));
  return selections;
}

/**
 * The ONNX Runtime executor (CPU execution provider): each program is compiled once into one ONNX
 * graph per stage (stages.ts) and one inference session each; symbolic dimensions are graph inputs,
 * so a session serves every batch size. Inputs are handed to ORT without copies; `eigh` runs on
 * the host in float64 between stages, as on tfjs.
 */
export class OnnxExecutor implements Executor {
  readonly backend = 'onnx';
  private readonly prepared = new WeakMap<Program, Promise<Prepared>>();
  private readonly sessions = new Set<InferenceSession>();
  private disposed = false;

  private constructor(
    private readonly ort: Ort,
    private readonly options: OnnxExecutorOptions,
  ) {}

  static async create(options: OnnxExecutorOptions = {}): Promise<OnnxExecutor> {
    return new OnnxExecutor(await loadOrt(), options);
  }

  /** One line for the user, e.g. `onnx (onnxruntime-node 1.30.0, CPU, 2 threads)`. */
  get description(): string {
    const threads = this.options.threads === undefined ? 'threads: one per core' : `${this.options.threads} thread${this.options.threads === 1 ? '' : 's'}`;
    return `onnx (onnxruntime-node ${this.ort.env.versions.common}, CPU, ${threads})`;
  }

  private prepare(program: Program): Promise<Prepared> {
    let prepared = this.prepared.get(program);
    if (prepared === undefined) {
      prepared = (async () => {
        const plan = planStages(program);
        const stages = plan.stages.map((stage, i) => compileStage(stage, `dflc_stage_${i}`));
        const sessionOptions: InferenceSession.SessionOptions = {
          graphOptimizationLevel: 'all',
          executionMode: 'sequential',
          interOpNumThreads: 1,
          logSeverityLevel: 3,
          ...(this.options.threads === undefined ? {} : { intraOpNumThreads: this.options.threads }),
        };
        const sessions: InferenceSession[] = [];
        for (const stage of stages) {
          const session = await this.ort.InferenceSession.create(stage.model, sessionOptions);
          this.sessions.add(session);
          sessions.push(session);
        }
        return { plan, stages, sessions, idChecks: idChecks(plan), selections: selectionsOf(program, plan) };
      })();
      this.prepared.set(program, prepared);
      prepared.catch(() => this.prepared.delete(program));
    }
    return prepared;
  }

  async run(program: Program, inputs: ReadonlyMap<string, Float32Tensor>, sizes?: ReadonlyMap<string, number>): Promise<Map<string, Float32Tensor>> {
    if (this.disposed) throw new Error('OnnxExecutor: run after dispose');
    for (const [name, input] of inputs) {
      const size = input.shape.reduce((a, b) => a * b, 1);
      if (input.data.length !== size) throw new InputShapeError(`input '${name}' has ${input.data.length} values for shape [${input.shape.join(', ')}]`);
    }
    const bound = bindSizes(program, new Map([...inputs].map(([name, t]) => [name, t.shape])), sizes);
    const prepared = await this.prepare(program);
    const dim = (d: Dim): number => {
      if (typeof d === 'number') return d;
      const size = bound.get(d);
      if (size === undefined) throw new InputShapeError(`dimension '${d}' is not bound by any input's shape`);
      return size;
    };
    for (const check of prepared.idChecks) hostRowIds(check.op, inputs.get(check.input)!.data, dim(check.rows));

    const { Tensor } = this.ort;
    const values = new Map<number, OrtTensor>();
    const wrap = (data: Float32Array, shape: readonly number[]) => new Tensor('float32', data, [...shape]);
    const inputNodes = new Map<string, Node>();
    for (const stage of prepared.plan.stages) for (const node of stage.reads) if (node.op === 'input') inputNodes.set(String(node.attrs.name), node);
    for (const [name, node] of inputNodes) {
      const input = inputs.get(name)!;
      values.set(node.id, wrap(input.data, input.shape));
    }
    for (let s = 0; s < prepared.stages.length; s++) {
      const stage = prepared.stages[s];
      const feeds: Record<string, OrtTensor> = {};
      for (const [id, name] of stage.readNames) feeds[name] = values.get(id)!;
      for (const [d, name] of stage.dimNames) feeds[name] = new Tensor('int64', BigInt64Array.of(BigInt(dim(d))), [1]);
      if (stage.writeNames.size > 0) {
        let results: InferenceSession.OnnxValueMapType;
        try {
          results = await prepared.sessions[s].run(feeds, [...stage.writeNames.values()]);
        } catch (error) {
          throw new OnnxRuntimeError(`onnxruntime, stage ${s + 1} of ${prepared.stages.length}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        for (const [id, name] of stage.writeNames) values.set(id, results[name] as OrtTensor);
      }
      for (const { node, after } of prepared.plan.eighs) {
        if (after !== s) continue;
        const m = values.get(node.inputs[0].id) ?? this.hostValue(node.inputs[0], inputs);
        const k = dim(node.inputs[0].shape[0]);
        const { values: lambda, vectors } = hostEigh(m.data as Float32Array, k);
        for (const selection of prepared.selections.get(node.id) ?? []) {
          values.set(selection.id, selection.op === 'eigvals' ? wrap(Float32Array.from(lambda), [k]) : wrap(Float32Array.from(vectors), [k, k]));
        }
      }
    }

    const callerBuffers = new Set<ArrayBufferLike>([...inputs.values()].map((t) => t.data.buffer));
    const handedOut = new Set<ArrayBufferLike>();
    const result = new Map<string, Float32Tensor>();
    for (const { name, node } of program.outputs) {
      const value = values.get(node.id) ?? this.hostValue(node, inputs);
      let data = value.data as Float32Array;
      if (callerBuffers.has(data.buffer) || handedOut.has(data.buffer)) data = data.slice();
      handedOut.add(data.buffer);
      result.set(name, { shape: value.dims.map(Number), data });
    }
    return result;
  }

  /** A program input read directly by the host (an eigh of an input, an output that is an input). */
  private hostValue(node: Node, inputs: ReadonlyMap<string, Float32Tensor>): OrtTensor {
    if (node.op !== 'input') throw new TypeError(`onnx: no value for '${node.op}' node ${node.id}`);
    const input = inputs.get(String(node.attrs.name))!;
    return new this.ort.Tensor('float32', input.data, [...input.shape]);
  }

  loop(program: Program, options: LoopOptions): Promise<ExecutorLoop> {
    return loopOverRun(this, program, options);
  }

  dispose(): void {
    this.disposed = true;
    for (const session of this.sessions) void session.release();
    this.sessions.clear();
  }
}
