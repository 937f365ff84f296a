import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { topoOrder, type Node, type Program } from '../../ir/node.ts';
import type { Dim } from '../../ir/shape.ts';
import type { Executor, ExecutorLoop, Float32Tensor, LoopOptions } from '../executor.ts';
import { checkRowIds } from '../host-row-ids.ts';
import { checkLoop, LoopError } from '../run-loop.ts';
import { bindSizes, InputShapeError } from '../bind-sizes.ts';
import { hostEigh } from '../host/host-eigh.ts';
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
  readonly outputs: Program['outputs'];
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
  for (const node of topoOrder(program.outputs.map((o) => o.node))) {
    if (node.op === 'eigvals' || node.op === 'eigvecs') selections.get(node.inputs[0].id)?.push(node);
  }
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
  // A program that is garbage takes its sessions (native memory) with it: an executor that
  // evaluates many programs does not accumulate them until dispose.
  private readonly released = new FinalizationRegistry<readonly InferenceSession[]>((sessions) => this.release(sessions));
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
          // Idle pool threads sleep instead of spinning: between a program's graphs the host
          // works (eigh, the next batch), and spinning workers take its core (2x slower steps on
          // two cores in npm run bench:train).
          extra: { session: { intra_op: { allow_spinning: '0' } } },
          ...(this.options.threads === undefined ? {} : { intraOpNumThreads: this.options.threads }),
        };
        const sessions: InferenceSession[] = [];
        for (const stage of stages) {
          const session = await this.ort.InferenceSession.create(stage.model, sessionOptions);
          this.sessions.add(session);
          sessions.push(session);
        }
        this.released.register(program, sessions);
        return { plan, stages, sessions, idChecks: idChecks(plan), selections: selectionsOf(program, plan), outputs: program.outputs };
      })();
      this.prepared.set(program, prepared);
      prepared.catch(() => this.prepared.delete(program));
    }
    return prepared;
  }

  /** Checks the arrays against the program and binds its symbolic dimensions. */
  private bind(program: Program, inputs: ReadonlyMap<string, Float32Tensor>, sizes?: ReadonlyMap<string, number>): Map<string, number> {
    if (this.disposed) throw new Error('OnnxExecutor: run after dispose');
    for (const [name, input] of inputs) {
      const size = input.shape.reduce((a, b) => a * b, 1);
      if (input.data.length !== size) throw new InputShapeError(`input '${name}' has ${input.data.length} values for shape [${input.shape.join(', ')}]`);
    }
    return bindSizes(program, new Map([...inputs].map(([name, t]) => [name, t.shape])), sizes);
  }

  /**
   * Runs the stages and the host eigendecompositions between them; returns the value of every node
   * a stage wrote or the host made, by node id. `into` holds arrays that some written values are
   * delivered into (ORT's preallocated outputs), instead of arrays of their own.
   */
  private async execute(
    prepared: Prepared,
    inputs: ReadonlyMap<string, Float32Tensor>,
    bound: ReadonlyMap<string, number>,
    into: ReadonlyMap<number, OrtTensor> = new Map(),
  ): Promise<Map<number, OrtTensor>> {
    const dim = (d: Dim): number => {
      if (typeof d === 'number') return d;
      const size = bound.get(d);
      if (size === undefined) throw new InputShapeError(`dimension '${d}' is not bound by any input's shape`);
      return size;
    };
    for (const check of prepared.idChecks) checkRowIds(check.op, inputs.get(check.input)!.data, dim(check.rows));

    const { Tensor } = this.ort;
    const wrap = (data: Float32Array, shape: readonly number[]) => new Tensor('float32', data, [...shape]);
    const values = new Map<number, OrtTensor>();
    const valueOf = (node: Node): OrtTensor => {
      const value = values.get(node.id);
      if (value !== undefined) return value;
      if (node.op !== 'input') throw new TypeError(`onnx: no value for '${node.op}' node ${node.id}`);
      const input = inputs.get(String(node.attrs.name))!;
      const wrapped = wrap(input.data, input.shape);
      values.set(node.id, wrapped);
      return wrapped;
    };
    for (let s = 0; s < prepared.stages.length; s++) {
      const stage = prepared.stages[s];
      const nodes = prepared.plan.stages[s].reads;
      const feeds: Record<string, OrtTensor> = {};
      for (const node of nodes) feeds[stage.readNames.get(node.id)!] = valueOf(node);
      for (const [d, name] of stage.dimNames) feeds[name] = new Tensor('int64', BigInt64Array.of(BigInt(dim(d))), [1]);
      if (stage.writeNames.size > 0) {
        const fetches: Record<string, OrtTensor | null> = {};
        for (const [id, name] of stage.writeNames) fetches[name] = into.get(id) ?? null;
        let results: InferenceSession.OnnxValueMapType;
        try {
          results = await prepared.sessions[s].run(feeds, fetches);
        } catch (error) {
          throw new OnnxRuntimeError(`onnxruntime, stage ${s + 1} of ${prepared.stages.length}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        for (const [id, name] of stage.writeNames) values.set(id, into.get(id) ?? (results[name] as OrtTensor));
      }
      for (const { node, after } of prepared.plan.eighs) {
        if (after !== s) continue;
        const m = valueOf(node.inputs[0]);
        const k = dim(node.inputs[0].shape[0]);
        const { values: lambda, vectors } = hostEigh(m.data as Float32Array, k);
        for (const selection of prepared.selections.get(node.id) ?? []) {
          values.set(selection.id, selection.op === 'eigvals' ? wrap(Float32Array.from(lambda), [k]) : wrap(Float32Array.from(vectors), [k, k]));
        }
      }
    }
    for (const output of prepared.outputs) valueOf(output.node);
    return values;
  }

  async run(program: Program, inputs: ReadonlyMap<string, Float32Tensor>, sizes?: ReadonlyMap<string, number>): Promise<Map<string, Float32Tensor>> {
    const bound = this.bind(program, inputs, sizes);
    const prepared = await this.prepare(program);
    const values = await this.execute(prepared, inputs, bound);
    const callerBuffers = new Set<ArrayBufferLike>([...inputs.values()].map((t) => t.data.buffer));
    const handedOut = new Set<ArrayBufferLike>();
    const result = new Map<string, Float32Tensor>();
    for (const { name, node } of program.outputs) {
      const value = values.get(node.id)!;
      let data = value.data as Float32Array;
      if (callerBuffers.has(data.buffer) || handedOut.has(data.buffer)) data = data.slice();
      handedOut.add(data.buffer);
      result.set(name, { shape: value.dims.map(Number), data });
    }
    return result;
  }

  /**
   * The state lives in two sets of arrays: a step reads one (ORT takes inputs without a copy) and
   * the carried outputs are delivered into the other, then they swap, so the state never travels
   * through new arrays of the loop's own and a failed step leaves the current set untouched.
   * onnxruntime-node (1.30) still copies each output on its way out, preallocated or not: about
   * 1.5-2 ms a step for the EHR bench's 6.6 MB of state, its largest cost beyond PyTorch's.
   */
  async loop(program: Program, options: LoopOptions): Promise<ExecutorLoop> {
    const plan = checkLoop(program, options);
    const prepared = await this.prepare(program);
    const outputNode = new Map(program.outputs.map((o) => [o.name, o.node]));
    const copy = (t: Float32Tensor): Float32Tensor => ({ shape: [...t.shape], data: t.data.slice() });
    let current: Map<string, Float32Tensor> | undefined = new Map([...options.initial].map(([name, t]) => [name, copy(t)]));
    let spare = new Map([...options.initial].map(([name, t]) => [name, copy(t)]));
    // A node may feed several carried inputs or also be read; only a node feeding exactly one is
    // written in place, the rest are copied after the step.
    const feeds = new Map<number, string[]>();
    for (const [output, input] of plan.carry) feeds.set(outputNode.get(output)!.id, [...(feeds.get(outputNode.get(output)!.id) ?? []), input]);
    let busy = false;
    const live = () => {
      if (current === undefined) throw new LoopError('the loop is disposed');
      return current;
    };
    return {
      step: async (inputs, read) => {
        const state = live();
        plan.checkStep(inputs, read);
        if (busy) throw new LoopError('step: the previous step has not finished');
        busy = true;
        try {
          const all = new Map([...inputs, ...state]);
          const bound = this.bind(program, all, options.sizes);
          const into = new Map<number, OrtTensor>();
          for (const [id, inputNames] of feeds) {
            const target = spare.get(inputNames[0])!;
            if (inputNames.length === 1) into.set(id, new this.ort.Tensor('float32', target.data, [...target.shape]));
          }
          const values = await this.execute(prepared, all, bound, into);
          if (current !== state) throw new LoopError('the loop was disposed during the step');
          for (const [output, input] of plan.carry) {
            const value = values.get(outputNode.get(output)!.id)!;
            const target = spare.get(input)!;
            if (value.data !== target.data) target.data.set(value.data as Float32Array);
          }
          const result = new Map<string, Float32Tensor>();
          for (const name of read) {
            const value = values.get(outputNode.get(name)!.id)!;
            result.set(name, { shape: value.dims.map(Number), data: (value.data as Float32Array).slice() });
          }
          const next = spare;
          spare = state;
          current = next;
          return result;
        } finally {
          busy = false;
        }
      },
      state: async () => new Map([...live()].map(([name, t]) => [name, copy(t)])),
      dispose: () => {
        current = undefined;
      },
    };
  }

  private release(sessions: Iterable<InferenceSession>): void {
    for (const session of [...sessions]) {
      if (this.sessions.delete(session)) void session.release();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.release(this.sessions);
  }
}
