/**
 * Which graph nodes ONNX Runtime ran on its CPU provider although the session asked for a device
 * (WebGPU). ORT assigns a node the device has no kernel for to the CPU without saying so; the
 * session option `session.disable_cpu_ep_fallback` turns that into an error, but one that names
 * no node, and that also refuses the shape arithmetic ORT keeps on the CPU on purpose. ORT's
 * profile of a run does name each node with the provider that ran it, so that is what is read
 * here (binding-session.ts profiles each session's first run).
 */

/** A node ORT ran on the CPU: its name in the graph, its ONNX op, and the dflc op it lowers. */
export interface CpuNode {
  readonly name: string;
  readonly op: string;
  /** The IR op the node was lowered from (from the node's name, onnx-model.ts), if it says. */
  readonly from?: string;
}

/** What a node name written by encodeModel (`n<index>_<OnnxOp>:<irOp>#<id>`) says the node came from. */
export function originOf(name: string): string | undefined {
  const at = name.indexOf(':');
  return at < 0 ? undefined : name.slice(at + 1);
}

interface ProfileEvent {
  readonly cat?: unknown;
  readonly name?: unknown;
  readonly args?: {
    readonly op_name?: unknown;
    readonly provider?: unknown;
    readonly input_type_shape?: unknown;
  };
}

/** The element types of a profile's `input_type_shape` ([{"float": [8, 4]}, {"int64": [1]}]). */
function elementTypes(typeShapes: unknown): string[] {
  if (!Array.isArray(typeShapes)) return [];
  return typeShapes.flatMap((entry: unknown) => (entry !== null && typeof entry === 'object' ? Object.keys(entry) : []));
}

/**
 * The nodes of an ORT profile (the JSON array that `enableProfiling` writes) that ran on the CPU
 * provider, once each, in the order they ran, except arithmetic on sizes: a node whose inputs are
 * all int64 (the `Unsqueeze` of a size input for a shape, the `Cast` of one to a float for
 * `dimsize`) is kept on the CPU by ORT on purpose, as its inputs are there and it makes a few
 * bytes. Pure.
 */
export function cpuNodesOfProfile(profile: string): CpuNode[] {
  const events = JSON.parse(profile) as unknown;
  if (!Array.isArray(events)) throw new TypeError('an ORT profile is a JSON array of events');
  const found = new Map<string, CpuNode>();
  const suffix = '_kernel_time';
  for (const event of events as ProfileEvent[]) {
    const args = event.args;
    if (event.cat !== 'Node' || typeof event.name !== 'string' || !event.name.endsWith(suffix) || args === undefined) continue;
    if (args.provider !== 'CPUExecutionProvider' || typeof args.op_name !== 'string') continue;
    const inputs = elementTypes(args.input_type_shape);
    if (inputs.length > 0 && inputs.every((type) => type === 'int64')) continue;
    const name = event.name.slice(0, -suffix.length);
    const from = originOf(name);
    if (!found.has(name)) found.set(name, { name, op: args.op_name, ...(from === undefined ? {} : { from }) });
  }
  return [...found.values()];
}

/** `Sign (node n3_Sign:sign#12, from the dflc op sign#12)`, for messages. */
export function describeCpuNode(node: CpuNode): string {
  return `${node.op} (node ${node.name}${node.from === undefined ? '' : `, from the dflc op ${node.from}`})`;
}

/** What to do about a node the device lacks: run it on the CPU and say so, or refuse to. */
export const CPU_FALLBACKS = ['warn', 'refuse'] as const;
export type CpuFallback = (typeof CPU_FALLBACKS)[number];

/**
 * The message for the CPU nodes of one stage (`stage` counts from 1): a warning, or with
 * `refuse` the error; undefined when there are none. Pure.
 */
export function fallbackMessage(nodes: readonly CpuNode[], stage: number, stages: number, mode: CpuFallback): { readonly refuse: boolean; readonly text: string } | undefined {
  if (nodes.length === 0) return undefined;
  const what = `${nodes.length === 1 ? 'a node' : `${nodes.length} nodes`} of stage ${stage} of ${stages} on the CPU, not the GPU (no WebGPU kernel): ${nodes.map(describeCpuNode).join(', ')}`;
  if (mode === 'refuse') return { refuse: true, text: `--backend onnx-webgpu refused to run ${what}; DFLC_WEBGPU_FALLBACK=refuse is set, unset it to let them run on the CPU` };
  return { refuse: false, text: `warning: onnx-webgpu runs ${what}; each costs a copy between GPU and host per run (DFLC_WEBGPU_FALLBACK=refuse makes this an error)` };
}
