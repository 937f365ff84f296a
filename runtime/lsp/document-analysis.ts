import type { SourceFile } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import { LineIndex } from '../../grammar/line-index.ts';
import type { Span } from '../../grammar/span.ts';
import type { Shape } from '../../compiler/ir/shape.ts';
import { checkObjective } from '../objective.ts';
import { loadStdlib } from '../stdlib-loader.ts';
import { callablesOf, type Callable } from './callables.ts';

/** Everything the editor features read about one version of one document. */
export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly source: string;
  readonly lines: LineIndex;
  /** The statements that parsed (error recovery keeps the rest of the file usable). */
  readonly ast: SourceFile;
  /** The same diagnostics, in the same order, as `dflc check` gives for this text. */
  readonly diagnostics: readonly Diagnostic[];
  /** What the document can call: primitives, stdlib defs and its own defs. */
  readonly callables: ReadonlyMap<string, Callable>;
  /** The shape of an expression of the document's own statements, by its span. */
  readonly shapeOf: (span: Span) => Shape | undefined;
}

const key = (span: Span): string => `${span.start.offset}:${span.end.offset}`;

/** One version of a document, checked exactly as `dflc check` checks a file. */
export function analyseDocument(uri: string, fileName: string, source: string, version: number): DocumentAnalysis {
  const shapes = new Map<string, Shape>();
  const { ast, diagnostics } = checkObjective(fileName, source, undefined, (span, shape) => shapes.set(key(span), shape));
  return {
    uri,
    version,
    source,
    lines: new LineIndex(source),
    ast,
    diagnostics,
    callables: callablesOf(ast, source, loadStdlib()),
    shapeOf: (span) => shapes.get(key(span)),
  };
}
