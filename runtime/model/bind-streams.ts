import { streamsOf, type DataSource, type Modality, type StreamBinding, type View } from './train-spec.ts';

/**
 * Which embedding each objective input reads. A plain name `X` is stream X at slot 0; a time
 * reference `X_t`, `X_t+k`, `X_t-k` is stream X at slot 0, k, -k; `X_a` and `X_b` (also `X_a_t+1`)
 * are stream X's embeddings of two augmented views of the window. A rename maps an objective name
 * to a stream: keyed by the whole input name (`{"Zprev": "Z_t-1"}`, any reference as target) or
 * by its stream part (`{"H": "Z"}` binds H, H_t, H_t+1, ... to Z at the same slots).
 */

/** An objective input that names no stream this run provides, or a rename that cannot apply. */
export class StreamBindingError extends Error {
  override name = 'StreamBindingError';
  constructor(
    message: string,
    /** The objective inputs that could not be bound. */
    readonly inputs: readonly string[],
    /** The streams the run provides. */
    readonly available: readonly string[],
  ) {
    super(message);
  }
}

/** `Z_t+1` -> {stream: 'Z', slot: 1}; `Z` -> {stream: 'Z', slot: 0}. */
export function parseStreamRef(name: string): { stream: string; slot: number } {
  const match = /^(.+)_t(?:([+-])(\d+))?$/.exec(name);
  if (match === null) return { stream: name, slot: 0 };
  const offset = match[3] === undefined ? 0 : Number(match[3]);
  return { stream: match[1], slot: match[2] === '-' ? -offset : offset };
}

/** `Z (as Z, Z_t, Z_t+1, ...)`, for each stream, and its views. */
function describeStreams(streams: readonly string[]): string {
  return `${streams.map((s) => `${s} (as ${s}, ${s}_t, ${s}_t+1, ...)`).join(', ')}, and two augmented views of each (${streams[0]}_a, ${streams[0]}_b, ...)`;
}

/** `Z_a` -> {stream: 'Z', view: 'a'} when Z is available; otherwise the name as it is. */
function splitView(stream: string, available: readonly string[]): { stream: string; view?: View } {
  const match = /^(.+)_([ab])$/.exec(stream);
  return match !== null && available.includes(match[1]) ? { stream: match[1], view: match[2] as View } : { stream };
}

/**
 * Binds every objective input to a stream and slot of a `modality` run; one StreamBindingError
 * lists every input that names no available stream, e.g. "objective input 'Q_t' has no embedding
 * stream: this ehr run provides Z (as Z, Z_t, Z_t+1, ...)".
 */
export function bindStreams(inputs: readonly string[], modality: Modality, rename: Readonly<Record<string, string>> = {}): StreamBinding[] {
  const available = streamsOf(modality);
  const renamed = (name: string): string | undefined => (Object.hasOwn(rename, name) ? rename[name] : undefined);
  const bindings: StreamBinding[] = [];
  const problems: string[] = [];
  const failed: string[] = [];
  for (const input of inputs) {
    const parsed = parseStreamRef(input);
    let stream = parsed.stream;
    let slot = parsed.slot;
    let via = '';
    const whole = renamed(input);
    const part = renamed(parsed.stream);
    if (whole !== undefined) {
      ({ stream, slot } = parseStreamRef(whole));
      via = ` (renamed to ${whole})`;
    } else if (part !== undefined) {
      const target = parseStreamRef(part);
      if (target.stream !== part) {
        problems.push(`rename '${parsed.stream}' -> '${part}' must name a stream, not a time reference (rename '${input}' itself to bind one slot)`);
        failed.push(input);
        continue;
      }
      stream = part;
      via = ` (renamed to stream ${part})`;
    }
    const viewed = splitView(stream, available);
    if (!available.includes(viewed.stream)) {
      problems.push(`objective input '${input}'${via} has no embedding stream: this ${modality} run provides ${describeStreams(available)}`);
      failed.push(input);
      continue;
    }
    bindings.push(viewed.view === undefined ? { input, stream, slot } : { input, stream: viewed.stream, slot, view: viewed.view });
  }
  if (problems.length > 0) throw new StreamBindingError(problems.join('\n') + hint(failed, modality, rename), failed, available);
  return bindings;
}

const MODALITIES: readonly Modality[] = ['ehr', 'text', 'multimodal'];

/**
 * What to do about inputs that bound to nothing: first another modality whose streams they all
 * are (an objective over E and T is a multimodal objective), then a rename to a stream this run
 * has, with the flag and the config key that say it.
 */
function hint(failed: readonly string[], modality: Modality, rename: Readonly<Record<string, string>>): string {
  const streams = [...new Set(failed.map((input) => parseStreamRef(input).stream))];
  const other = Object.keys(rename).length === 0 ? MODALITIES.find((m) => m !== modality && streams.every((s) => streamsOf(m).includes(s))) : undefined;
  const rename1 = `--rename ${streams[0]}=Z (or "rename": {"${streams[0]}": "Z"} in dflc.json)`;
  if (other !== undefined) return `\n${streams.join(', ')} ${streams.length === 1 ? 'is a stream' : 'are streams'} of ${other} runs: run with --modality ${other}, or bind ${streams.length === 1 ? 'it' : 'each'} to a stream of this run with ${rename1}`;
  return `\nbind an input to a stream of this run with ${rename1}`;
}

/** The slots the bindings read, ascending, each once. */
export function slotsOf(bindings: readonly StreamBinding[]): number[] {
  return [...new Set(bindings.map((binding) => binding.slot))].sort((a, b) => a - b);
}

/** The data sources the bindings read, each once: by slot, the plain windows before views a and b. */
export function sourcesOf(bindings: readonly StreamBinding[]): DataSource[] {
  const rank = (view: View | undefined) => (view === undefined ? 0 : view === 'a' ? 1 : 2);
  const seen = new Map<string, DataSource>();
  for (const { slot, view } of bindings) seen.set(`${slot}:${view ?? ''}`, view === undefined ? { slot } : { slot, view });
  return [...seen.values()].sort((x, y) => x.slot - y.slot || rank(x.view) - rank(y.view));
}
