import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import { formatShape } from '../../compiler/ir/shape.ts';
import type { DocumentAnalysis } from './document-analysis.ts';
import { toLspPosition } from './positions.ts';

/** `let g = gram(W)` shows `g: matrix[k, k]`: each let's shape after its name, within [from, to). */
export function inlayHints(analysis: DocumentAnalysis, from: number, to: number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const s of analysis.ast.statements) {
    if (s.kind !== 'let' || s.nameSpan.end.offset < from || s.nameSpan.end.offset > to) continue;
    const shape = analysis.shapeOf(s.value.span);
    if (shape === undefined) continue;
    hints.push({ position: toLspPosition(s.nameSpan.end), label: `: ${formatShape(shape)}`, kind: InlayHintKind.Type });
  }
  return hints;
}
