import type { SourceFile } from '../grammar/ast.ts';
import type { Diagnostic } from '../grammar/diagnostic.ts';
import { parse } from '../grammar/parse.ts';
import { frontEnd } from '../compiler/front-end/front-end.ts';
import type { Program } from '../compiler/ir/node.ts';
import type { ObjectiveParam, ObjectiveTerm, ShapeListener } from '../compiler/front-end/elaborate.ts';
import { loadStdlib } from './stdlib-loader.ts';

export interface CheckedObjective {
  readonly file: string;
  readonly source: string;
  /** The statements that parsed (error recovery keeps the rest of a broken file). */
  readonly ast: SourceFile;
  readonly diagnostics: Diagnostic[];
  /** The forward program, when there are no errors. */
  readonly program: Program | undefined;
  /** The objective's top-level additive terms, as nodes of `program`. */
  readonly terms: readonly ObjectiveTerm[];
  /** The objective's params (runtime/model/objective-params.ts makes them trainable). */
  readonly params: readonly ObjectiveParam[];
}

/**
 * Source text -> checked forward program, with the stdlib as prelude: what every command that
 * takes an objective file does first. Semantic checks run only on a tree that parsed cleanly.
 */
export function checkObjective(file: string, source: string, epsilon?: number, onShape?: ShapeListener): CheckedObjective {
  const { ast, diagnostics } = parse(source);
  if (diagnostics.some((d) => d.severity === 'error')) return { file, source, ast, diagnostics, program: undefined, terms: [], params: [] };
  const result = frontEnd(ast, { fileName: file, source, prelude: loadStdlib(), epsilon, onShape });
  return { file, source, ast, diagnostics: [...diagnostics, ...result.diagnostics], program: result.program, terms: result.terms, params: result.params };
}
