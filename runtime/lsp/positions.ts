import type { Position as LspPosition, Range } from 'vscode-languageserver';
import type { Position, Span } from '../../grammar/span.ts';

/**
 * dflc's positions count lines and columns from 1 in UTF-16 units, and end a line at `\n`,
 * `\r\n` or a lone `\r`, exactly as LSP does from 0: the conversion is a shift by one.
 */
export function toLspPosition(position: Position): LspPosition {
  return { line: position.line - 1, character: position.column - 1 };
}

export function spanToRange(span: Span): Range {
  return { start: toLspPosition(span.start), end: toLspPosition(span.end) };
}

/** Whether `offset` lies in `span`, its end included (a cursor just after a name is on it). */
export function spanHolds(span: Span, offset: number): boolean {
  return span.start.offset <= offset && offset <= span.end.offset;
}
