import type { Program } from '../ir/node.ts';

/** How often one rule fired during one run of a pass. */
export interface Rewrite {
  readonly rule: string;
  readonly count: number;
}

/** What every pass returns: a new program (the input is never mutated) and the rules that fired. */
export interface PassResult {
  readonly program: Program;
  readonly fired: readonly Rewrite[];
}

/** A pass: a pure function from a program to a new program and the rules that fired. */
export type Pass = (program: Program) => PassResult;

/** Counts firings by rule name, keeping the order in which rules first fired. */
export class FiredCounter {
  private readonly counts = new Map<string, number>();

  add(rule: string, count = 1): void {
    if (count <= 0) return;
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + count);
  }

  toList(): Rewrite[] {
    return [...this.counts].map(([rule, count]) => ({ rule, count }));
  }
}

/** One line of a pipeline's log: a rule of a pass that fired, in a phase, and how often. */
export interface PassLog {
  /** `forward` before differentiation, `joint` after it (value and gradient together). */
  readonly phase: 'forward' | 'joint';
  readonly pass: string;
  readonly rule: string;
  readonly count: number;
}
