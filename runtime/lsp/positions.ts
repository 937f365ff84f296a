import type { Position as LspPosition, Range } from 'vscode-languageserver';
import type { Span } from '../../grammar/span.ts';

/**
 * dflc's spans count lines and columns from 1 in UTF-16 units, and end a line at `\n`, `\r\n` or
 * a lone `\r`, exactly as LSP does from 0: the conversion is a shift by one.
 */
export function spanToRange(span: Span): Range {
  return {
    start: { line: span.start.line - 1, character: span.start.column - 1 },
    end: { line: span.end.line - 1, character: span.end.column - 1 },
  };
}

/** Whether `offset` lies in `span`, its end included (a cursor just after a name is on it). */
export function spanHolds(span: Span, offset: number): boolean {
  return span.start.offset <= offset && offset <= span.end.offset;
}

export type { LspPosition };
