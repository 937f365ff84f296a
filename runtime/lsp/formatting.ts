import type { TextEdit } from 'vscode-languageserver';
import { parse } from '../../grammar/parse.ts';
import { verifiedFormat } from '../../grammar/verified-format.ts';
import type { DocumentAnalysis } from './document-analysis.ts';

/**
 * `dflc fmt`'s output as one edit over the whole document; no edit when the text is already
 * canonical or has syntax errors (as `dflc fmt` leaves such a file alone).
 */
export function formatDocument(analysis: DocumentAnalysis, fileName: string): TextEdit[] {
  const { ast, diagnostics } = parse(analysis.source);
  if (diagnostics.some((d) => d.severity === 'error')) return [];
  const text = verifiedFormat(ast, fileName);
  if (text === analysis.source) return [];
  const end = analysis.lines.position(analysis.source.length);
  return [{ range: { start: { line: 0, character: 0 }, end: { line: end.line - 1, character: end.column - 1 } }, newText: text }];
}
