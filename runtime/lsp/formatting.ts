import type { TextEdit } from 'vscode-languageserver';
import { parse } from '../../grammar/parse.ts';
import { verifiedFormat } from '../../grammar/verified-format.ts';
import type { DocumentAnalysis } from './document-analysis.ts';
import { spanToRange } from './positions.ts';

/**
 * `dflc fmt`'s output as one edit over the whole document; no edit when the text is already
 * canonical or has syntax errors (as `dflc fmt` leaves such a file alone).
 */
export function formatDocument(analysis: DocumentAnalysis, fileName: string): TextEdit[] {
  const { ast, diagnostics } = parse(analysis.source);
  if (diagnostics.some((d) => d.severity === 'error')) return [];
  const text = verifiedFormat(ast, fileName);
  if (text === analysis.source) return [];
  return [{ range: spanToRange(analysis.lines.span(0, analysis.source.length)), newText: text }];
}
