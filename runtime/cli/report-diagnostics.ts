import type { Diagnostic } from '../../grammar/diagnostic.ts';
import { renderDiagnostic } from '../../grammar/diagnostics-render.ts';
import { LineIndex } from '../../grammar/line-index.ts';
import type { CommandIo } from './command.ts';

/** Diagnostics of one file, rendered with source lines and carets, on stderr. */
export function reportDiagnostics(io: CommandIo, file: string, source: string, diagnostics: readonly Diagnostic[]): void {
  const lines = new LineIndex(source);
  for (const diagnostic of diagnostics) io.stderr(`${renderDiagnostic(diagnostic, file, lines)}\n`);
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The closing line after diagnostics, e.g. `2 errors, 1 warning`; empty when there were none. */
export function diagnosticSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const parts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''];
  return parts.filter((p) => p !== '').join(', ');
}
