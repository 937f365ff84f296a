import type { ObjectiveParam } from '../../compiler/front-end/elaborate.ts';
import { differentiate } from '../../compiler/autodiff.ts';
import { IrBuilder } from '../../compiler/ir/builder.ts';
import { IrError } from '../../compiler/ir/ir-error.ts';
import { inlineProgram } from '../../compiler/ir/inline.ts';
import type { Node, Program, ProgramInput, ProgramOutput } from '../../compiler/ir/node.ts';
import { rebuild } from '../../compiler/ir/rebuild.ts';
import { cse } from '../../compiler/passes/cse.ts';
import type { PassLog } from '../../compiler/passes/pass.ts';
import { fixpoint, runPipeline, SPECIALIZE, type PipelineResult, type PipelineStep } from '../../compiler/pipeline.ts';
import { adamUpdate } from './adam.ts';
import { bindStreams, slotsOf, sourcesOf } from './bind-streams.ts';
import { objectiveParamSpecs, streamShape } from './objective-params.ts';
import { ModelConfigError } from './params.ts';
import { formatShape } from '../../compiler/ir/shape.ts';
import { adamMName, adamVName, gradSqName, paramInputName, paramInputs, paramSpecs } from './params.ts';
import { embedSlot, slotDataInputs } from './slot-embedding.ts';
import { DEFAULT_ADAM, labelInputName, sourceName, type AdamConfig, type LabelBinding, type ModelConfig, type ParamSpec, type StreamBinding, type TrainProgram } from './train-spec.ts';

/** The objective as the front end gives it (runtime/objective.ts): a program with output `value`, its terms and its params. */
export interface TrainObjective {
  readonly program: Program;
  readonly terms: readonly { readonly text: string; readonly node: Node }[];
  /** The objective's `param` declarations, inputs of `program` that the trainer owns (objective-params.ts). */
  readonly params?: readonly ObjectiveParam[];
}

export interface TrainProgramOptions {
  /** Objective names -> stream names (see bind-streams.ts), e.g. {"H": "Z"}. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Objective inputs -> label tasks: each input is the step input `label:<input>`, vector[batch]. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly adam?: AdamConfig;
  /** Also output `grad:param:<name>`, the loss gradient of each parameter (for checks and gradient norms). */
  readonly gradients?: boolean;
  /** A pass name: the program is printed after each run of it into the pipeline result's dumps. */
  readonly dumpAfter?: string;
}

/** The step program and what the optimiser did to it (for `--explain`). */
export interface TrainProgramResult extends TrainProgram {
  readonly log: readonly PassLog[];
  readonly dumps: PipelineResult['dumps'];
}

/** The names of a step program's scalar inputs. */
export const STEP_INPUT = 'step';
export const LR_INPUT = 'lr';

/**
 * The training step as ONE program: the encoders of every slot the objective reads (parameters
 * shared across slots), the objective inlined over their embeddings, reverse-mode differentiation
 * of `loss` with respect to the `param:*` inputs only, and Adam's update, optimised together by
 * the compiler's passes. Inputs and outputs are those of train-spec.ts:
 *
 *   inputs   param:<p>..., adam.m:<p>..., adam.v:<p>..., step, lr, data:<slot>.<field>...
 *   outputs  loss, term:<i>..., embed:<objective input>..., grad_sq:<p>...,
 *            param:<p>..., adam.m:<p>..., adam.v:<p>...
 *
 * Every slot gets every field of the modality (fieldsOf), in slot order; the lists of slot s have
 * the symbolic lengths `codes@<s>` and `tokens@<s>`, bound by the arrays of each step. Everything
 * else (batch, widths, table rows) is a number, so the dual form and other size-dependent rewrites
 * apply. An objective input that names no stream is a StreamBindingError listing the streams.
 */
export function buildTrainProgram(objective: TrainObjective, config: ModelConfig, options: TrainProgramOptions = {}): TrainProgramResult {
  const forward = buildForward(objective, config, options);
  const specs = forward.specs;
  const adam = options.adam ?? DEFAULT_ADAM;
  const steps = trainPipeline(specs, adam, options.gradients ?? false);
  const result = runPipeline(steps, forward.program, { sizes: new Map(), dumpAfter: options.dumpAfter });
  return {
    program: result.program,
    params: specs,
    slots: forward.slots,
    sources: forward.sources,
    terms: objective.terms.map((term) => term.text),
    bindings: forward.bindings,
    labels: forward.labels,
    log: result.log,
    dumps: result.dumps,
  };
}

/**
 * The step program before differentiation: every input of the step, and the outputs loss,
 * term:<i> and embed:<input>; `specs` are the parameters it trains, the encoder's then the
 * objective's.
 */
export function buildForward(
  objective: TrainObjective,
  config: ModelConfig,
  options: Pick<TrainProgramOptions, 'rename' | 'labels'> = {},
): { program: Program; slots: number[]; sources: TrainProgram['sources']; bindings: TrainProgram['bindings']; labels: TrainProgram['labels']; specs: ParamSpec[] } {
  const valueOutput = objective.program.outputs.find((o) => o.name === 'value');
  if (valueOutput === undefined) throw new IrError(`the objective program has no output named value`);
  const objectiveParams = objective.params ?? [];
  const owned = new Set(objectiveParams.map((p) => p.name));
  const labels = labelBindings(objective.program.inputs, options.labels ?? {});
  const labelled = new Set(labels.map((l) => l.input));
  const vector = objective.program.inputs.find((input) => input.shape.length === 1 && !owned.has(input.name) && !labelled.has(input.name));
  if (vector !== undefined) {
    throw new ModelConfigError(`objective input '${vector.name}' is a ${formatShape(vector.shape)}: bind it to a task's labels, e.g. --label ${vector.name}=mortality_1y (embedding streams are matrices)`);
  }
  const bindings = bindStreams(
    objective.program.inputs.map((input) => input.name).filter((name) => !owned.has(name) && !labelled.has(name)),
    config.modality,
    options.rename,
  );
  const slots = slotsOf(bindings);
  const sources = sourcesOf(bindings);
  const ownSpecs = objectiveParamSpecs(objectiveParams, objective.program.inputs, boundShapes(bindings, labels, config));
  const specs = [...paramSpecs(config), ...ownSpecs];

  const b = new IrBuilder();
  const params = paramInputs(b, specs);
  const state = (name: (p: string) => string): ProgramInput[] => specs.map((spec) => ({ name: name(spec.name), shape: [...spec.shape] }));
  const inputs: ProgramInput[] = [
    ...params.inputs,
    ...state(adamMName),
    ...state(adamVName),
    { name: STEP_INPUT, shape: [] },
    { name: LR_INPUT, shape: [] },
  ];
  const streams = new Map<string, Map<string, Node>>();
  for (const source of sources) {
    const data = slotDataInputs(b, config, source.slot, source.view);
    inputs.push(...data.inputs);
    streams.set(sourceName(source), embedSlot(b, config, params.nodes, data.nodes));
  }

  const bound = new Map(bindings.map(({ input, stream, slot, view }) => [input, streams.get(sourceName({ slot, view }))!.get(stream)!]));
  for (const { input } of labels) {
    const name = labelInputName(input);
    inputs.push({ name, shape: [config.batch] });
    bound.set(input, b.make('input', [], { name, shape: [config.batch] }));
  }
  objectiveParams.forEach((p, i) => bound.set(p.name, params.nodes.get(ownSpecs[i].name)!));
  // The objective with its terms as extra outputs, so that they are re-made in this builder too.
  const withTerms: Program = {
    inputs: objective.program.inputs,
    outputs: [{ name: 'value', node: valueOutput.node }, ...objective.terms.map((term, i) => ({ name: `term:${i}`, node: term.node }))],
  };
  const inlined = inlineProgram(b, withTerms, bound);
  const outputs: ProgramOutput[] = [
    { name: 'loss', node: inlined.get('value')! },
    ...objective.terms.map((_term, i) => ({ name: `term:${i}`, node: inlined.get(`term:${i}`)! })),
    ...bindings.map(({ input }) => ({ name: `embed:${input}`, node: bound.get(input)! })),
  ];
  return { program: { inputs, outputs }, slots, sources, bindings, labels, specs };
}

/** The label bindings, in the objective's input order; each input must be declared a vector (`input Y : [n]`). */
function labelBindings(inputs: readonly ProgramInput[], labels: Readonly<Record<string, string>>): LabelBinding[] {
  const missing = Object.keys(labels).filter((name) => !inputs.some((input) => input.name === name));
  if (missing.length > 0) {
    throw new ModelConfigError(`--label ${missing[0]}=${labels[missing[0]]}: the objective has no input '${missing[0]}' (its inputs: ${inputs.map((i) => i.name).join(', ')})`);
  }
  return inputs
    .filter((input) => Object.hasOwn(labels, input.name))
    .map((input) => {
      if (input.shape.length !== 1) {
        throw new ModelConfigError(`--label ${input.name}=${labels[input.name]}: labels are one value per batch row; declare the input as a vector, \`input ${input.name} : [n]\` (it is ${formatShape(input.shape)})`);
      }
      return { input: input.name, task: labels[input.name] };
    });
}

/** The shape each bound input takes in the step: an embedding [batch, dim], or a label vector [batch]. */
function boundShapes(bindings: readonly StreamBinding[], labels: readonly LabelBinding[], config: ModelConfig): Map<string, readonly number[]> {
  return new Map<string, readonly number[]>([...bindings.map((b) => [b.input, streamShape(config)] as const), ...labels.map((l) => [l.input, [config.batch]] as const)]);
}

/**
 * Appends Adam to a program that has `grad:param:<p>` outputs: outputs `grad_sq:<p>` (the scalar
 * sum(square(gradient)), sharing square(g) with the second moment, so that the trainer can check
 * the gradient and log its norm without reading the state back), then the updated `param:<p>`,
 * `adam.m:<p>`, `adam.v:<p>`, and drops the gradients unless `keepGradients`.
 */
export function appendAdam(program: Program, specs: readonly ParamSpec[], config: AdamConfig, keepGradients: boolean): Program {
  const { program: copy, builder: b } = rebuild(program);
  const byName = new Map(copy.outputs.map((o) => [o.name, o.node]));
  const inputNode = (name: string, shape: readonly number[]) => b.make('input', [], { name, shape: [...shape] });
  const scalars = { step: inputNode(STEP_INPUT, []), lr: inputNode(LR_INPUT, []) };
  const updates: ProgramOutput[][] = [[], [], []];
  const gradSq: ProgramOutput[] = [];
  for (const spec of specs) {
    const grad = byName.get(`grad:${paramInputName(spec.name)}`);
    if (grad === undefined) throw new IrError(`appendAdam: the program has no output grad:${paramInputName(spec.name)}`);
    const state = {
      param: inputNode(paramInputName(spec.name), spec.shape),
      m: inputNode(adamMName(spec.name), spec.shape),
      v: inputNode(adamVName(spec.name), spec.shape),
    };
    const next = adamUpdate(b, state, grad, scalars, config);
    gradSq.push({ name: gradSqName(spec.name), node: b.make('sum', [b.make('square', [grad])]) });
    updates[0].push({ name: paramInputName(spec.name), node: next.param });
    updates[1].push({ name: adamMName(spec.name), node: next.m });
    updates[2].push({ name: adamVName(spec.name), node: next.v });
  }
  const kept = copy.outputs.filter((o) => keepGradients || !o.name.startsWith('grad:'));
  return { inputs: copy.inputs, outputs: [...kept, ...gradSq, ...updates.flat()] };
}

/**
 * The pass list of a step program: as compiler/pipeline.ts's value-and-gradient pipeline, with
 * differentiation restricted to the parameters and Adam appended before the joint rewrites.
 */
export function trainPipeline(specs: readonly ParamSpec[], adam: AdamConfig, keepGradients: boolean): PipelineStep[] {
  const wrt = specs.map((spec) => paramInputName(spec.name));
  return [
    SPECIALIZE,
    ...fixpoint('forward'),
    { name: 'differentiate', phase: 'joint', run: (program) => ({ program: differentiate(program, { of: 'loss', wrt }), fired: [] }) },
    { name: 'adam', phase: 'joint', run: (program) => ({ program: appendAdam(program, specs, adam, keepGradients), fired: [] }) },
    ...fixpoint('joint'),
    { name: 'cse', phase: 'joint', run: cse },
  ];
}
