import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../../grammar/diagnostic.ts';
import { spanToRange } from './positions.ts';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/**
 * A dflc diagnostic as the editor shows it: the same message and code as `dflc check`, with each
 * note linked to its place (a note in a stdlib def opens that stdlib file). Stdlib paths are
 * relative to the server's working directory, as `dflc check` prints them.
 */
export function toLspDiagnostic(diagnostic: Diagnostic, uri: string, cwd: string): LspDiagnostic {
  const related = diagnostic.related?.map((note) => ({
    message: note.message,
    location: {
      uri: note.file === undefined ? uri : pathToFileURL(resolve(cwd, note.file)).href,
      range: spanToRange(note.span),
    },
  }));
  return {
    range: spanToRange(diagnostic.span),
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: 'dflc',
    message: diagnostic.message,
    ...(related === undefined ? {} : { relatedInformation: related }),
  };
}
