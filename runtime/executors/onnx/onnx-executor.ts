import { topoOrder, type Node, type Program } from '../../../compiler/ir/node.ts';
import type { Dim } from '../../../compiler/ir/shape.ts';
import { BackendUnavailableError, type Executor, type ExecutorLoop, type Float32Tensor, type LoopOptions, type RunOptions } from '../executor.ts';
import { checkOutputArrays } from '../output-arrays.ts';
import { checkRowIds } from '../host-row-ids.ts';
import { checkLoop, LoopError } from '../run-loop.ts';
import { bindSizes, InputShapeError } from '../bind-sizes.ts';
import { hostKernels } from '../host/host-kernels.ts';
import { isProgramInput, opDef, runsOnHost, selectedPart } from '../../../compiler/ops/registry.ts';
import { compileStage, type CompiledStage } from '../../../compiler/backends/onnx/compile-stage.ts';
import { loadOrtRuntime, type OrtWay } from './load-ort.ts';
import { OrtCallError, type DeviceArray, type OrtArray, type OrtRuntime, type StageInput, type StageSession } from './ort-session.ts';
import { loadWebgpuRuntime } from './webgpu-runtime.ts';
import { fallbackMessage, type CpuFallback, type CpuNode } from './node-placement.ts';
import type { GpuAdapter } from '../gpu/vulkan-adapters.ts';
import { planStages, type StagePlan } from '../../../compiler/backends/onnx/stages.ts';

/** ONNX Runtime refused or failed a run; the message is its own, prefixed with the stage. */
export class OnnxRuntimeError extends Error {
  override name = 'OnnxRuntimeError';
}

export interface OnnxExecutorOptions {
  /** Threads inside one op (ORT's intra-op pool); default: ORT's choice, one per physical core. */
  readonly threads?: number;
  /** How to reach ORT (load-ort.ts); default: the C API, else onnxruntime-node's JavaScript API. CPU provider only. */
  readonly way?: OrtWay;
  /** ORT's execution provider: `cpu` (default) or `webgpu` (backend onnx-webgpu). */
  readonly provider?: 'cpu' | 'webgpu';
  /** With `webgpu`: chosen by `auto`, which takes a hardware adapter only (webgpu-runtime.ts). */
  readonly auto?: boolean;
  /**
   * With `webgpu`, a graph node the provider has no kernel for, which ORT runs on the CPU:
   * `warn` (default) names it through `warn` once and lets it run there; `refuse` fails the run
   * that finds it, naming it.
   */
  readonly cpuFallback?: CpuFallback;
  /** Where warnings go (one line each, no newline); default: stderr. */
  readonly warn?: (line: string) => void;
}


/** A value during a run: a host array, or one that a stage left on the device (onnx-webgpu). */
type Value = Float32Tensor | DeviceTensor;
interface DeviceTensor {
  readonly shape: readonly number[];
  readonly device: DeviceArray;
}
const onDevice = (value: Value): value is DeviceTensor => 'device' in value;

/** Bytes that crossed between host and device since the executor was made; zero on the CPU provider. */
export interface Transfers {
  readonly toDevice: number;
  readonly toHost: number;
}

/** ORT's own words for a failure; anything else (a bug here) with its type. */
function ortMessage(error: unknown): string {
  return error instanceof OrtCallError ? error.message : String(error);
}

/** An index input checked on the host before a run: ids must name rows of `rows`. */
interface IdCheck {
  readonly label: string;
  readonly input: string;
  readonly rows: Dim;
}

interface Prepared {
  readonly plan: StagePlan;
  readonly stages: readonly CompiledStage[];
  /** One per stage; none for a stage that computes nothing (ORT refuses a graph without outputs). */
  readonly sessions: readonly (StageSession | undefined)[];
  readonly idChecks: readonly IdCheck[];
  /** Selector nodes by the id of the host-op node they select from. */
  readonly selections: ReadonlyMap<number, readonly Node[]>;
  readonly outputs: Program['outputs'];
  /** Written values that stay on the device (with a device runtime), by node id. */
  readonly onDevice: ReadonlySet<number>;
  /** Program inputs that several stages read, uploaded once per run (with a device runtime). */
  readonly sharedInputs: readonly Node[];
  /**
   * Sets of arrays for the values `run` passes between stages and does not hand out, kept from
   * call to call (one set per run in flight): a fresh n×d array costs a page fault per 4 KiB the
   * first time it is written, which on a busy VM took 35 ms for 4 MiB, against 0.3 ms to refill
   * an array already mapped.
   */
  readonly idleScratch: Map<number, Float32Array>[];
}

/**
 * The row-id inputs (facts.readsRowIds) that are program inputs: ORT's Gather and ScatterND would
 * fail or write out of range on a bad id, so the host checks them first. (Ids computed inside a
 * graph are not checked; DFL computes none.)
 */
function idChecks(plan: StagePlan): IdCheck[] {
  const checks: IdCheck[] = [];
  for (const stage of plan.stages) {
    for (const node of stage.nodes) {
      for (const { input, label, rows } of opDef(node.op).facts?.readsRowIds ?? []) {
        const ids = node.inputs[input];
        if (isProgramInput(ids.op)) checks.push({ label, input: String(ids.attrs.name), rows: rows(node) });
      }
    }
  }
  return checks;
}

function selectionsOf(program: Program, plan: StagePlan): Map<number, Node[]> {
  const selections = new Map<number, Node[]>(plan.hostNodes.map(({ node }) => [node.id, []]));
  for (const node of topoOrder(program.outputs.map((o) => o.node))) {
    if (selectedPart(node.op) !== undefined) selections.get(node.inputs[0].id)?.push(node);
  }
  return selections;
}

/**
 * With a device, every value a stage writes stays there except what only the host needs: the
 * inputs of host ops (`eigh`) that no later stage reads, and the program's scalar outputs (loss,
 * terms), which a training step reads every time. A host op's input that a later stage reads too
 * (the matrix whose eigenvectors' gradient needs it) stays on the device and is downloaded for
 * the host op, so that it does not travel back. Other outputs (gradients, embeddings, the
 * training state) come to the host only when asked for.
 */
function deviceWrites(program: Program, plan: StagePlan): Set<number> {
  const readByStages = new Set<number>(plan.stages.flatMap((stage) => stage.reads.map((node) => node.id)));
  const hostNeeds = new Set<number>(plan.hostNodes.flatMap(({ node }) => node.inputs.map((input) => input.id)).filter((id) => !readByStages.has(id)));
  for (const output of program.outputs) if (output.node.shape.length === 0) hostNeeds.add(output.node.id);
  return new Set(plan.stages.flatMap((stage) => stage.writes.map((node) => node.id)).filter((id) => !hostNeeds.has(id)));
}

/** Program inputs read by more than one stage: with a device, each is uploaded once, not once per stage. */
function sharedInputs(plan: StagePlan): Node[] {
  const readers = new Map<Node, number>();
  for (const stage of plan.stages) for (const node of stage.reads) if (isProgramInput(node.op)) readers.set(node, (readers.get(node) ?? 0) + 1);
  return [...readers].filter(([, count]) => count > 1).map(([node]) => node);
}

/** Frees each device value among `values` once, except those in `keep`. */
function disposeDevice(values: Iterable<Value>, keep: ReadonlySet<DeviceArray> = new Set()): void {
  const seen = new Set<DeviceArray>(keep);
  for (const value of values) {
    if (!onDevice(value) || seen.has(value.device)) continue;
    seen.add(value.device);
    value.device.dispose();
  }
}

/**
 * The ONNX Runtime executor: each program is compiled once into one ONNX graph per stage
 * (stages.ts) and one inference session each; symbolic dimensions are graph inputs, so a session
 * serves every batch size. On the CPU provider ORT reads inputs from the caller's arrays and
 * writes outputs into arrays made here (or given, for a loop's state). On the WebGPU provider
 * (backend onnx-webgpu) the values between stages and a loop's state stay in GPU buffers, and
 * only inputs, host-op operands and what the caller reads cross (counted in `transfers`). Host
 * ops (`eigh`) run on the host in float64 between stages (host-kernels.ts), as on tfjs.
 */
export class OnnxExecutor implements Executor {
  readonly backend: 'onnx' | 'onnx-webgpu';
  private readonly prepared = new WeakMap<Program, Promise<Prepared>>();
  private readonly sessions = new Set<StageSession>();
  // A program that is garbage takes its sessions (native memory) with it: an executor that
  // evaluates many programs does not accumulate them until dispose.
  private readonly released = new FinalizationRegistry<readonly StageSession[]>((sessions) => this.release(sessions));
  private disposed = false;
  private moved = { toDevice: 0, toHost: 0 };
  private readonly placed = new WeakSet<StageSession>();
  private readonly onCpu: CpuNode[] = [];

  private constructor(
    private readonly runtime: OrtRuntime,
    private readonly options: OnnxExecutorOptions,
    /** The GPU adapter (onnx-webgpu), where it could be listed. */
    readonly adapter?: GpuAdapter,
  ) {
    this.backend = runtime.device === undefined ? 'onnx' : 'onnx-webgpu';
  }

  static async create(options: OnnxExecutorOptions = {}): Promise<OnnxExecutor> {
    if (options.provider === 'webgpu') {
      const { runtime, adapter } = await loadWebgpuRuntime(options.auto ?? false);
      return new OnnxExecutor(runtime, options, adapter);
    }
    return new OnnxExecutor(await loadOrtRuntime(options.way), options);
  }

  /**
   * One line for the user, e.g. `onnx (onnxruntime 1.30.0 C API, CPU, 2 threads)` or
   * `onnx-webgpu (onnxruntime-node 1.30.0, WebGPU, adapter llvmpipe (LLVM 15.0.6, 256 bits), software)`.
   */
  get description(): string {
    if (this.backend === 'onnx-webgpu') {
      const adapter = this.adapter === undefined ? "Dawn's choice of adapter (not inspected)" : `adapter ${this.adapter.name}, ${this.adapter.type === 'cpu' ? 'software' : this.adapter.type}`;
      return `onnx-webgpu (${this.runtime.description}, ${adapter})`;
    }
    const threads = this.options.threads === undefined ? 'threads: one per core' : `${this.options.threads} thread${this.options.threads === 1 ? '' : 's'}`;
    return `onnx (${this.runtime.description}, CPU, ${threads})`;
  }

  /** Bytes moved between host and device so far (a step's traffic is the difference across it). */
  get transfers(): Transfers {
    return { ...this.moved };
  }

  /** Nodes that ORT ran on the CPU instead of the device so far (onnx-webgpu; node-placement.ts). */
  get cpuNodes(): readonly CpuNode[] {
    return [...this.onCpu];
  }

  /**
   * After a stage's run on a device: refuses the nodes ORT ran on the CPU (every run: refusing
   * once would let the next run through), or warns of them once per graph.
   */
  private checkPlacement(session: StageSession, stage: number, stages: number): void {
    if (this.placed.has(session)) return;
    const nodes = session.cpuNodes?.();
    if (nodes === undefined) return;
    const message = fallbackMessage(nodes, stage + 1, stages, this.options.cpuFallback ?? 'warn');
    if (message?.refuse) throw new BackendUnavailableError('onnx-webgpu', message.text);
    this.placed.add(session);
    this.onCpu.push(...nodes);
    if (message !== undefined) (this.options.warn ?? ((line: string) => process.stderr.write(`${line}\n`)))(message.text);
  }

  private count(direction: keyof Transfers, bytes: number): void {
    if (this.runtime.device !== undefined) this.moved[direction] += bytes;
  }

  private prepare(program: Program): Promise<Prepared> {
    let prepared = this.prepared.get(program);
    if (prepared === undefined) {
      prepared = (async () => {
        const plan = planStages(program);
        const stages = plan.stages.map((stage, i) => compileStage(stage, `dflc_stage_${i}`));
        const onDevice = this.runtime.device === undefined ? new Set<number>() : deviceWrites(program, plan);
        const sessions: (StageSession | undefined)[] = [];
        for (const [s, stage] of stages.entries()) {
          if (stage.writeNames.size === 0) {
            sessions.push(undefined);
            continue;
          }
          const deviceOutputs = plan.stages[s].writes.filter((node) => onDevice.has(node.id)).map((node) => stage.writeNames.get(node.id)!);
          const settings = { ...(this.options.threads === undefined ? {} : { threads: this.options.threads }), deviceOutputs };
          let session: StageSession;
          try {
            session = await this.runtime.createSession(stage.model, settings);
          } catch (error) {
            // ORT refusing a graph dflc made is dflc's bug: say which graph, in ORT's words.
            throw new OnnxRuntimeError(`onnxruntime refused the graph of stage ${s + 1} of ${stages.length}: ${ortMessage(error)}`, { cause: error });
          }
          this.sessions.add(session);
          sessions.push(session);
        }
        this.released.register(program, sessions.filter((session) => session !== undefined));
        const shared = this.runtime.device === undefined ? [] : sharedInputs(plan);
        return { plan, stages, sessions, idChecks: idChecks(plan), selections: selectionsOf(program, plan), outputs: program.outputs, onDevice, sharedInputs: shared, idleScratch: [] };
      })();
      this.prepared.set(program, prepared);
      prepared.catch(() => this.prepared.delete(program));
    }
    return prepared;
  }

  /** Checks the arrays against the program and binds its symbolic dimensions. */
  private bind(program: Program, inputs: ReadonlyMap<string, Value>, sizes?: ReadonlyMap<string, number>): Map<string, number> {
    if (this.disposed) throw new Error('OnnxExecutor: run after dispose');
    for (const [name, input] of inputs) {
      const size = input.shape.reduce((a, b) => a * b, 1);
      if (!onDevice(input) && input.data.length !== size) throw new InputShapeError(`input '${name}' has ${input.data.length} values for shape [${input.shape.join(', ')}]`);
    }
    return bindSizes(program, new Map([...inputs].map(([name, t]) => [name, t.shape])), sizes);
  }

  /** `value` on the host: itself, or a fresh array downloaded from the device. */
  private async host(value: Value): Promise<Float32Tensor> {
    if (!onDevice(value)) return value;
    const data = new Float32Array(value.shape.reduce((a, b) => a * b, 1));
    await this.runtime.device!.download(value.device, data);
    this.count('toHost', data.byteLength);
    return { shape: value.shape, data };
  }

  /**
   * Runs the stages and the host ops between them; returns the value of every node
   * a stage wrote or the host made, by node id (the caller owns the device values among them).
   * `into` holds arrays that some written values are delivered into, instead of arrays of their
   * own; `scratch`, arrays from an earlier step to reuse for the other written values where the
   * size still fits (and keeps the new ones), except those in `fresh`, which get arrays of their own.
   */
  private async execute(
    prepared: Prepared,
    inputs: ReadonlyMap<string, Value>,
    bound: ReadonlyMap<string, number>,
    into: ReadonlyMap<number, Float32Array> = new Map(),
    scratch?: Map<number, Float32Array>,
    fresh: ReadonlySet<number> = new Set(),
  ): Promise<Map<number, Value>> {
    const dim = (d: Dim): number => {
      if (typeof d === 'number') return d;
      const size = bound.get(d);
      if (size === undefined) throw new InputShapeError(`dimension '${d}' is not bound by any input's shape`);
      return size;
    };
    const values = new Map<number, Value>();
    const valueOf = (node: Node): Value => {
      const value = values.get(node.id) ?? (isProgramInput(node.op) ? inputs.get(String(node.attrs.name)) : undefined);
      if (value === undefined) throw new TypeError(`onnx: no value for '${node.op}' node ${node.id}`);
      return value;
    };
    try {
      for (const check of prepared.idChecks) checkRowIds(check.label, (await this.host(inputs.get(check.input)!)).data, dim(check.rows));
      for (const node of prepared.sharedInputs) {
        const value = valueOf(node);
        if (onDevice(value)) continue;
        values.set(node.id, { shape: value.shape, device: await this.runtime.device!.upload({ data: value.data, dims: value.shape }) });
        this.count('toDevice', value.data.byteLength);
      }
      for (let s = 0; s < prepared.stages.length; s++) {
        const stage = prepared.stages[s];
        const feeds: StageInput[] = [];
        for (const node of prepared.plan.stages[s].reads) {
          const value = valueOf(node);
          const name = stage.readNames.get(node.id)!;
          if (onDevice(value)) {
            feeds.push({ name, device: value.device });
          } else {
            feeds.push({ name, data: value.data, dims: value.shape });
            this.count('toDevice', value.data.byteLength);
          }
        }
        for (const [d, name] of stage.dimNames) {
          feeds.push({ name, data: BigInt64Array.of(BigInt(dim(d))), dims: [1] });
          this.count('toDevice', BigInt64Array.BYTES_PER_ELEMENT);
        }
        if (stage.writeNames.size > 0) {
          const outputs: OrtArray[] = [];
          for (const node of prepared.plan.stages[s].writes) {
            if (prepared.onDevice.has(node.id)) continue;
            const shape = node.shape.map(dim);
            const size = shape.reduce((a, b) => a * b, 1);
            const kept = fresh.has(node.id) ? undefined : scratch;
            let data = into.get(node.id) ?? kept?.get(node.id);
            if (data?.length !== size) {
              data = new Float32Array(size);
              kept?.set(node.id, data);
            }
            values.set(node.id, { shape, data });
            outputs.push({ name: stage.writeNames.get(node.id)!, data, dims: shape });
            this.count('toHost', data.byteLength);
          }
          let devices: ReadonlyMap<string, DeviceArray>;
          try {
            devices = await prepared.sessions[s]!.run(feeds, outputs);
          } catch (error) {
            throw new OnnxRuntimeError(`onnxruntime, stage ${s + 1} of ${prepared.stages.length}: ${ortMessage(error)}`, { cause: error });
          }
          for (const node of prepared.plan.stages[s].writes) {
            if (prepared.onDevice.has(node.id)) values.set(node.id, { shape: node.shape.map(dim), device: devices.get(stage.writeNames.get(node.id)!)! });
          }
          this.checkPlacement(prepared.sessions[s]!, s, prepared.stages.length);
        }
        for (const { node, after } of prepared.plan.hostNodes) {
          if (after !== s || !runsOnHost(node.op)) continue;
          const operands = await Promise.all(node.inputs.map((input) => this.host(valueOf(input))));
          const parts = hostKernels[node.op](operands);
          for (const selection of prepared.selections.get(node.id) ?? []) values.set(selection.id, parts[selectedPart(selection.op)!]);
        }
      }
      for (const output of prepared.outputs) values.set(output.node.id, valueOf(output.node));
      return values;
    } catch (error) {
      const given = new Set([...inputs.values()].filter(onDevice).map((value) => value.device));
      disposeDevice(values.values(), given);
      throw error;
    }
  }

  /**
   * The outputs named in `options.into` are delivered into the caller's arrays: on the CPU
   * provider ORT writes them there directly; an output that no graph writes (a host op's, an input
   * passed through) or that a device holds is copied in.
   */
  async run(program: Program, inputs: ReadonlyMap<string, Float32Tensor>, sizes?: ReadonlyMap<string, number>, options: RunOptions = {}): Promise<Map<string, Float32Tensor>> {
    const bound = this.bind(program, inputs, sizes);
    const into = options.into ?? new Map<string, Float32Array>();
    checkOutputArrays(program, into, bound, inputs);
    const prepared = await this.prepare(program);
    const intoNodes = new Map<number, Float32Array>();
    for (const { name, node } of program.outputs) {
      const array = into.get(name);
      if (array !== undefined && !intoNodes.has(node.id)) intoNodes.set(node.id, array);
    }
    // The outputs are the caller's to keep: only the values between stages reuse arrays.
    const scratch = prepared.idleScratch.pop() ?? new Map<number, Float32Array>();
    let values: Map<number, Value>;
    try {
      values = await this.execute(prepared, inputs, bound, intoNodes, scratch, new Set(program.outputs.map((o) => o.node.id)));
    } finally {
      prepared.idleScratch.push(scratch);
    }
    try {
      const callerBuffers = new Set<ArrayBufferLike>([...inputs.values()].map((t) => t.data.buffer));
      // An output without an array of its own that shares a node with one given in `into` gets a copy.
      const handedOut = new Set<ArrayBufferLike>([...into.values()].map((data) => data.buffer));
      const result = new Map<string, Float32Tensor>();
      for (const { name, node } of program.outputs) {
        const value = values.get(node.id)!;
        const shape = [...value.shape];
        const target = into.get(name);
        if (target !== undefined) {
          if (onDevice(value)) {
            await this.runtime.device!.download(value.device, target);
            this.count('toHost', target.byteLength);
          } else if (value.data !== target) {
            target.set(value.data);
          }
          result.set(name, { shape, data: target });
          continue;
        }
        let data = (await this.host(value)).data;
        if (callerBuffers.has(data.buffer) || handedOut.has(data.buffer)) data = data.slice();
        handedOut.add(data.buffer);
        result.set(name, { shape, data });
      }
      return result;
    } finally {
      disposeDevice(values.values());
    }
  }

  /**
   * On the host, the state lives in two sets of arrays: a step reads one (ORT takes inputs without
   * a copy) and the carried outputs are delivered into the other, then they swap, so the state
   * never travels through new arrays and a failed step leaves the current set untouched. (Through
   * the C API ORT writes straight into them; onnxruntime-node's binding also copies each output
   * once more.) On a device, a carried output stays in the GPU buffer a step wrote it to and is
   * the next step's input; the previous step's buffers are freed once a step has succeeded.
   */
  async loop(program: Program, options: LoopOptions): Promise<ExecutorLoop> {
    const plan = checkLoop(program, options);
    const prepared = await this.prepare(program);
    const outputNode = new Map(program.outputs.map((o) => [o.name, o.node]));
    const copy = (t: Float32Tensor): Float32Tensor => ({ shape: [...t.shape], data: t.data.slice() });
    const first = new Map([...options.initial].map(([name, t]) => [name, copy(t)]));
    const second = new Map([...options.initial].map(([name, t]) => [name, copy(t)]));
    let current: Map<string, Value> | undefined = new Map(first);
    /** The host array set that the current state of `input` is not in: where its next value goes. */
    const spare = (state: ReadonlyMap<string, Value>, input: string): Float32Tensor => {
      const now = state.get(input)!;
      return !onDevice(now) && now.data === first.get(input)!.data ? second.get(input)! : first.get(input)!;
    };
    // Values a step writes that are neither carried nor handed out (they are read back as copies)
    // live in arrays kept from step to step: a fresh set each step would cost page faults and
    // collections for nothing.
    const scratch = new Map<number, Float32Array>();
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
          const all = new Map<string, Value>([...inputs, ...state]);
          const bound = this.bind(program, all, options.sizes);
          const into = new Map<number, Float32Array>();
          for (const [id, inputNames] of feeds) {
            if (inputNames.length === 1) into.set(id, spare(state, inputNames[0]).data);
          }
          const values = await this.execute(prepared, all, bound, into, scratch);
          const next = new Map<string, Value>();
          try {
            if (current !== state) throw new LoopError('the loop was disposed during the step');
            for (const [output, input] of plan.carry) {
              const value = values.get(outputNode.get(output)!.id)!;
              if (onDevice(value)) {
                next.set(input, value);
                continue;
              }
              const target = spare(state, input);
              if (value.data !== target.data) target.data.set(value.data);
              next.set(input, target);
            }
            const result = new Map<string, Float32Tensor>();
            for (const name of read) {
              const value = values.get(outputNode.get(name)!.id)!;
              result.set(name, onDevice(value) ? await this.host(value) : { shape: [...value.shape], data: value.data.slice() });
            }
            current = next;
            return result;
          } finally {
            // What the step made and did not keep goes, and on success the state it replaced.
            const kept = new Set([...(current === next ? next : state).values()].filter(onDevice).map((value) => value.device));
            disposeDevice([...values.values(), ...(current === next ? state.values() : [])], kept);
          }
        } finally {
          busy = false;
        }
      },
      state: async () => {
        const state = live();
        const arrays = new Map<string, Float32Tensor>();
        for (const [name, value] of state) arrays.set(name, onDevice(value) ? await this.host(value) : copy(value));
        return arrays;
      },
      dispose: () => {
        if (current !== undefined) disposeDevice(current.values());
        current = undefined;
      },
    };
  }

  private release(sessions: Iterable<StageSession>): void {
    for (const session of [...sessions]) {
      if (this.sessions.delete(session)) session.release();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.release(this.sessions);
  }
}
