import type { SourceFile } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import { checkDeclarations, declaredNames } from './declarations.ts';
import { elaborate, type DefEntry, type ObjectiveParam, type ObjectiveTerm, type ShapeListener } from './elaborate.ts';
import type { Program } from '../ir/node.ts';
import type { Prelude } from './prelude.ts';

export interface FrontEndOptions {
  readonly fileName: string;
  readonly source: string;
  readonly prelude: Prelude;
  /** Relative size of numerical guards; 1e-12 (float64) unless a float32 backend asks for more. */
  readonly epsilon?: number;
  /** Told the shape of each expression of the file's own statements (see ElaborateOptions). */
  readonly onShape?: ShapeListener;
}

export interface FrontEndResult {
  /** The forward program (output `value`), absent when there are errors. */
  readonly program: Program | undefined;
  readonly diagnostics: Diagnostic[];
  /** The objective's top-level additive terms, as nodes of `program` (empty on errors). */
  readonly terms: readonly ObjectiveTerm[];
  /** The file's `param` declarations (empty on errors); each is an input of `program`. */
  readonly params: readonly ObjectiveParam[];
}

/** Parsed file -> checked forward IR program: declarations, then elaboration with shapes. */
export function frontEnd(file: SourceFile, options: FrontEndOptions): FrontEndResult {
  const diagnostics = checkDeclarations(file, options.prelude);
  const defs = new Map<string, DefEntry>();
  for (const [name, def] of options.prelude.defs) {
    defs.set(name, { decl: def.decl, file: def.file, source: def.source, fromStdlib: true, ambiguous: false });
  }
  // A def whose name the file declares again (checkDeclarations reports it) means nothing sure.
  const names = file.statements.flatMap((s) => declaredNames(s).map((d) => d.name));
  const ambiguous = new Set(names.filter((name, i) => names.indexOf(name) !== i));
  for (const statement of file.statements) {
    if (statement.kind === 'def' && defs.get(statement.name)?.fromStdlib !== false) {
      defs.set(statement.name, { decl: statement, file: options.fileName, source: options.source, fromStdlib: false, ambiguous: ambiguous.has(statement.name) });
    }
  }
  const elaboration = elaborate(file, defs, { fileName: options.fileName, source: options.source, epsilon: options.epsilon, onShape: options.onShape });
  const all = [...diagnostics, ...elaboration.diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
  const failed = all.some((d) => d.severity === 'error');
  return failed
    ? { program: undefined, diagnostics: all, terms: [], params: [] }
    : { program: elaboration.program, diagnostics: all, terms: elaboration.terms, params: elaboration.params };
}
