import type { Diagnostic } from './diagnostic.ts';
import { LineIndex } from './line-index.ts';

/**
 * A diagnostic as people read them in a terminal:
 *
 *     card.dfl:3:24: error: expected an expression after '+', found the end of the file
 *         3 | balance(Z) +
 *           |             ^
 *     card.dfl:3:8: note: to match this '('
 *
 * The underline covers the span on its first line (to the end of that line if the span goes on).
 */
export function renderDiagnostic(diagnostic: Diagnostic, file: string, source: string | LineIndex): string {
  const lines = typeof source === 'string' ? new LineIndex(source) : source;
  const { start, end } = diagnostic.span;
  const out = [`${file}:${start.line}:${start.column}: ${diagnostic.severity}: ${diagnostic.message}`];
  const text = lines.lineText(start.line);
  const gutter = String(start.line);
  const blank = ' '.repeat(gutter.length);
  // Keep tabs in the padding so the caret lines up however wide the terminal draws a tab.
  const pad = text.slice(0, start.column - 1).replace(/[^\t]/g, ' ');
  const last = end.line === start.line ? end.column : text.length + 1;
  const width = Math.max(1, last - start.column);
  out.push(`  ${gutter} | ${text}`, `  ${blank} | ${pad}^${'~'.repeat(width - 1)}`);
  for (const note of diagnostic.related ?? []) {
    out.push(`${note.file ?? file}:${note.span.start.line}:${note.span.start.column}: note: ${note.message}`);
  }
  return out.join('\n');
}

/** The diagnostic as one JSON-friendly record (`dflc check --json`). */
export interface DiagnosticRecord {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Diagnostic['severity'];
  readonly code: string;
  readonly message: string;
  readonly related?: readonly { file: string; line: number; column: number; message: string }[];
}

export function diagnosticRecord(diagnostic: Diagnostic, file: string): DiagnosticRecord {
  const { start, end } = diagnostic.span;
  const related = diagnostic.related?.map((r) => ({
    file: r.file ?? file,
    line: r.span.start.line,
    column: r.span.start.column,
    message: r.message,
  }));
  return {
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
    ...(related === undefined ? {} : { related }),
  };
}
