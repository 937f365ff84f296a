import type { SourceFile } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import { LineIndex } from '../../grammar/line-index.ts';
import { checkObjective } from '../objective.ts';

/** Everything the editor features read about one version of one document. */
export interface DocumentAnalysis {
  readonly version: number;
  readonly source: string;
  readonly lines: LineIndex;
  /** The statements that parsed (error recovery keeps the rest of the file usable). */
  readonly ast: SourceFile;
  /** The same diagnostics, in the same order, as `dflc check` gives for this text. */
  readonly diagnostics: readonly Diagnostic[];
}

/** One version of a document, checked exactly as `dflc check` checks a file. */
export function analyseDocument(fileName: string, source: string, version: number): DocumentAnalysis {
  const { ast, diagnostics } = checkObjective(fileName, source);
  return { version, source, lines: new LineIndex(source), ast, diagnostics };
}
