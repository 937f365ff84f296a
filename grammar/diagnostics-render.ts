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
 * Lines longer than 120 characters are shown as a window around the span.
 */
export function renderDiagnostic(diagnostic: Diagnostic, file: string, source: string | LineIndex): string {
  const lines = typeof source === 'string' ? new LineIndex(source) : source;
  const { start, end } = diagnostic.span;
  const out = [`${file}:${start.line}:${start.column}: ${diagnostic.severity}: ${diagnostic.message}`];
  const text = lines.lineText(start.line);
  const last = end.line === start.line ? end.column - 1 : text.length;
  const { shown, from, prefix } = excerpt(text, start.column - 1);
  const gutter = String(start.line);
  // Keep tabs in the padding so the caret lines up however wide the terminal draws a tab.
  const pad = ' '.repeat(prefix) + shown.slice(prefix, prefix + start.column - 1 - from).replace(/[^\t]/g, ' ');
  const width = Math.max(1, Math.min(last, from + shown.length - prefix) - (start.column - 1));
  out.push(`  ${gutter} | ${shown}`, `  ${' '.repeat(gutter.length)} | ${pad}^${'~'.repeat(width - 1)}`);
  for (const note of diagnostic.related ?? []) {
    out.push(`${note.file ?? file}:${note.span.start.line}:${note.span.start.column}: note: ${note.message}`);
  }
  return out.join('\n');
}

const MAX_SHOWN = 120;

/**
 * A long line is cut to a window that starts a little before `index`, so the caret stays on the
 * screen; `from` is where the window starts in the line and `prefix` the width of the leading `...`.
 */
function excerpt(text: string, index: number): { shown: string; from: number; prefix: number } {
  if (text.length <= MAX_SHOWN) return { shown: text, from: 0, prefix: 0 };
  const from = Math.max(0, Math.min(index - 40, text.length - MAX_SHOWN));
  const to = from + MAX_SHOWN;
  const prefix = from > 0 ? 3 : 0;
  return { shown: `${from > 0 ? '...' : ''}${text.slice(from, to)}${to < text.length ? '...' : ''}`, from, prefix };
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
