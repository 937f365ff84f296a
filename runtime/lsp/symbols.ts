import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Statement } from '../../grammar/ast.ts';
import { formatDefHead } from '../../grammar/format.ts';
import { formatShape } from '../../compiler/ir/shape.ts';
import type { DocumentAnalysis } from './document-analysis.ts';
import { spanToRange } from './positions.ts';
import { inputShape, refName } from './resolve-name.ts';

function symbolsOf(statement: Statement, analysis: DocumentAnalysis): DocumentSymbol[] {
  const range = spanToRange(statement.span);
  switch (statement.kind) {
    case 'input': {
      return statement.names.map((ref) => ({
        name: refName(ref),
        detail: `input: ${inputShape(statement)}`,
        kind: SymbolKind.Variable,
        range,
        selectionRange: spanToRange(ref.span),
      }));
    }
    case 'param':
      return [{ name: statement.name, detail: `param: ${inputShape(statement)}`, kind: SymbolKind.Variable, range, selectionRange: spanToRange(statement.nameSpan) }];
    case 'let': {
      const shape = analysis.shapeOf(statement.value.span);
      const detail = shape === undefined ? 'let' : `let: ${formatShape(shape)}`;
      return [{ name: statement.name, detail, kind: SymbolKind.Variable, range, selectionRange: spanToRange(statement.nameSpan) }];
    }
    case 'def':
      return [{ name: statement.name, detail: formatDefHead(statement), kind: SymbolKind.Function, range, selectionRange: spanToRange(statement.nameSpan) }];
    case 'minimize':
    case 'expr':
      return [{ name: 'objective', detail: 'minimised', kind: SymbolKind.Event, range, selectionRange: spanToRange(statement.value.span) }];
  }
}

/** The file's outline: inputs, lets (with their shapes), defs (with their signatures), the objective. */
export function documentSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  return analysis.ast.statements.flatMap((s) => symbolsOf(s, analysis));
}
