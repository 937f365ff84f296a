import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { formatShape } from '../../compiler/ir/shape.ts';
import { KEYWORDS } from '../../grammar/tokens.ts';
import { callContext } from './call-context.ts';
import type { DocumentAnalysis } from './document-analysis.ts';
import { describeCallable } from './hover.ts';
import { spanHolds } from './positions.ts';
import { inputShape, refName } from './resolve-name.ts';
import { statementAt } from './syntax-at.ts';

// Sort groups: what the cursor's call takes first, then the file's own names, then the library.
const ARGUMENT = '0';
const LOCAL = '1';
const LIBRARY = '2';
const KEYWORD = '3';

/** The file's own values: parameters of the def the cursor is in, lets, and declared inputs. */
function localValues(analysis: DocumentAnalysis, offset: number): CompletionItem[] {
  const items: CompletionItem[] = [];
  const here = statementAt(analysis.ast, offset);
  if (here?.kind === 'def') {
    for (const p of here.params) items.push({ label: p.name, kind: CompletionItemKind.Variable, detail: `parameter of ${here.name}`, sortText: LOCAL });
  }
  for (const s of analysis.ast.statements) {
    if (s.kind === 'let') {
      const shape = analysis.shapeOf(s.value.span);
      items.push({ label: s.name, kind: CompletionItemKind.Variable, detail: shape === undefined ? 'let' : `let: ${formatShape(shape)}`, sortText: LOCAL });
    } else if (s.kind === 'input') {
      for (const ref of s.names) {
        items.push({ label: refName(ref), kind: CompletionItemKind.Variable, detail: `input: ${inputShape(s)}`, sortText: LOCAL });
      }
    }
  }
  return items;
}

/** Keyword arguments the call under the cursor still takes, written `name=`. */
function parameterNames(analysis: DocumentAnalysis, offset: number): CompletionItem[] {
  const context = callContext(analysis.source, offset);
  const callable = context === undefined ? undefined : analysis.callables.get(context.callee);
  // Primitives take no keyword arguments.
  if (context === undefined || callable === undefined || callable.kind === 'primitive') return [];
  // Arguments come positionally first, so those before the keyword ones fill the first parameters.
  const positional = context.argIndex - context.keywordsGiven.length + (context.keyword === undefined ? 0 : 1);
  return callable.params
    .slice(Math.max(0, positional))
    .filter((p) => !context.keywordsGiven.includes(p.name))
    .map((p) => ({
      label: `${p.name}=`,
      kind: CompletionItemKind.Field,
      detail: `parameter of ${callable.signature}`,
      sortText: ARGUMENT,
    }));
}

/**
 * Names that fit at the cursor: keyword arguments of the enclosing call, the file's parameters,
 * lets and inputs, then every primitive and def with its signature and documentation, and the
 * statement keywords at the start of a line. Nothing inside a comment.
 */
export function complete(analysis: DocumentAnalysis, offset: number): CompletionItem[] {
  if (analysis.ast.comments.some((c) => spanHolds(c.span, offset) && c.span.start.offset < offset)) return [];
  const callables: CompletionItem[] = [...analysis.callables.values()].map((c) => ({
    label: c.name,
    kind: CompletionItemKind.Function,
    detail: c.signature,
    documentation: { kind: 'markdown', value: describeCallable(c) },
    sortText: c.kind === 'def' ? LOCAL : LIBRARY,
  }));
  const lineStart = analysis.source.lastIndexOf('\n', offset - 1) + 1;
  const atStatementStart = /^\s*[A-Za-z]*$/.test(analysis.source.slice(lineStart, offset));
  const keywords: CompletionItem[] = atStatementStart
    ? KEYWORDS.map((k) => ({ label: String(k.LABEL).replace(/'/g, ''), kind: CompletionItemKind.Keyword, sortText: KEYWORD }))
    : [];
  return [...parameterNames(analysis, offset), ...localValues(analysis, offset), ...callables, ...keywords];
}
