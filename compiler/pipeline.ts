import { differentiate } from './autodiff.ts';
import { printProgram } from './explain.ts';
import type { Program } from './ir/node.ts';
import { cse } from './passes/cse.ts';
import { dual } from './passes/dual.ts';
import { fold } from './passes/fold.ts';
import type { PassLog, PassResult } from './passes/pass.ts';
import { simplify } from './passes/simplify.ts';
import { specialize } from './passes/specialize.ts';
import { spectral } from './passes/spectral.ts';

export interface PipelineOptions {
  /** Binds symbolic dimensions (enables `specialize`, and with it the dual form). */
  readonly sizes?: ReadonlyMap<string, number>;
  /** The name of a pass: the program is printed after each run of it, into `dumps`. */
  readonly dumpAfter?: string;
  /** Bound on the rounds of each fixpoint group (default 16). */
  readonly maxRounds?: number;
}

export interface PipelineDump {
  readonly pass: string;
  readonly phase: PassLog['phase'];
  /** The fixpoint round (0 outside fixpoint groups). */
  readonly round: number;
  readonly text: string;
}

export interface PipelineResult {
  readonly program: Program;
  /** Every rule that fired, summed by (phase, pass, rule), in first-firing order. */
  readonly log: PassLog[];
  readonly dumps: PipelineDump[];
  /** False when a fixpoint group was still firing after `maxRounds` rounds. */
  readonly converged: boolean;
}

/** One entry of a pipeline: a named pass in a phase, optionally in a fixpoint group. */
export interface PipelineStep {
  readonly name: string;
  readonly phase: PassLog['phase'];
  /** Consecutive steps of one group rerun, in order, until a whole round fires nothing. */
  readonly group?: string;
  readonly run: (program: Program, options: PipelineOptions) => PassResult;
}

const unchanged = (program: Program): PassResult => ({ program, fired: [] });

/** The rewriting passes, run together to a fixpoint: each one's output can enable the others. */
export function fixpoint(phase: PassLog['phase']): PipelineStep[] {
  const group = `${phase}-fixpoint`;
  return [
    { name: 'fold', phase, group, run: fold },
    { name: 'simplify', phase, group, run: simplify },
    { name: 'spectral', phase, group, run: spectral },
    { name: 'dual', phase, group, run: dual },
  ];
}

/** Binds the sizes the options give (a no-op without them). */
export const SPECIALIZE: PipelineStep = {
  name: 'specialize',
  phase: 'forward',
  run: (program, options) => (options.sizes === undefined ? unchanged(program) : specialize(program, options.sizes)),
};

/** Forward program only: specialise, rewrite to a fixpoint, CSE. */
export const OPTIMIZE_PIPELINE: readonly PipelineStep[] = [
  SPECIALIZE,
  ...fixpoint('forward'),
  { name: 'cse', phase: 'forward', run: cse },
];

/**
 * Value and gradient: the forward rewrites (the dual form must run before differentiation,
 * which gives `eigh` nodes `eigvecs` users), then reverse-mode differentiation, then the same
 * rewrites over the joint program, then CSE.
 */
export const VALUE_AND_GRAD_PIPELINE: readonly PipelineStep[] = [
  SPECIALIZE,
  ...fixpoint('forward'),
  { name: 'differentiate', phase: 'joint', run: (program) => ({ program: differentiate(program), fired: [] }) },
  ...fixpoint('joint'),
  { name: 'cse', phase: 'joint', run: cse },
];

/** Every pass name a pipeline knows (what `--dump-after` accepts). */
export const PASS_NAMES: readonly string[] = [...new Set(VALUE_AND_GRAD_PIPELINE.map((step) => step.name))];

const DEFAULT_MAX_ROUNDS = 16;

/** Runs a flat list of steps; consecutive steps sharing a group iterate to a fixpoint. */
export function runPipeline(steps: readonly PipelineStep[], program: Program, options: PipelineOptions = {}): PipelineResult {
  if (options.dumpAfter !== undefined && !PASS_NAMES.includes(options.dumpAfter)) {
    throw new RangeError(`unknown pass '${options.dumpAfter}' for --dump-after; the passes are ${PASS_NAMES.join(', ')}`);
  }
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const counts = new Map<string, PassLog>();
  const dumps: PipelineDump[] = [];
  let converged = true;

  const runStep = (step: PipelineStep, current: Program, round: number): { program: Program; fired: boolean } => {
    const result = step.run(current, options);
    for (const { rule, count } of result.fired) {
      const key = `${step.phase}\u0000${step.name}\u0000${rule}`;
      const previous = counts.get(key);
      counts.set(key, { phase: step.phase, pass: step.name, rule, count: (previous?.count ?? 0) + count });
    }
    if (step.name === options.dumpAfter) dumps.push({ pass: step.name, phase: step.phase, round, text: printProgram(result.program) });
    return { program: result.program, fired: result.fired.some((r) => r.count > 0) };
  };

  let current = program;
  for (let i = 0; i < steps.length; ) {
    const group = steps[i].group;
    if (group === undefined) {
      current = runStep(steps[i], current, 0).program;
      i++;
      continue;
    }
    let end = i;
    while (end < steps.length && steps[end].group === group) end++;
    let settled = false;
    for (let round = 1; round <= maxRounds && !settled; round++) {
      settled = true;
      for (let j = i; j < end; j++) {
        const result = runStep(steps[j], current, round);
        current = result.program;
        if (result.fired) settled = false;
      }
    }
    if (!settled) converged = false;
    i = end;
  }
  return { program: current, log: [...counts.values()], dumps, converged };
}

/** Optimises a forward program (no differentiation). */
export function optimize(program: Program, options: PipelineOptions = {}): PipelineResult {
  return runPipeline(OPTIMIZE_PIPELINE, program, options);
}

/**
 * The compiler's main product: one optimised program with outputs `value` and `grad:<input>`
 * for a forward program with the single output `value`.
 */
export function compileValueAndGrad(forward: Program, options: PipelineOptions = {}): PipelineResult {
  return runPipeline(VALUE_AND_GRAD_PIPELINE, forward, options);
}
