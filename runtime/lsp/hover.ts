import type { Hover } from 'vscode-languageserver';
import type { Expr } from '../../grammar/ast.ts';
import { formatDefHead, formatParam } from '../../grammar/format.ts';
import type { Span } from '../../grammar/span.ts';
import { formatShape } from '../../compiler/ir/shape.ts';
import type { Callable } from './callables.ts';
import type { DocumentAnalysis } from './document-analysis.ts';
import { spanToRange } from './positions.ts';
import { inputShape, refName, resolveName, type Meaning } from './resolve-name.ts';
import { expressionsAt, nameAt, statementAt, statementExpr } from './syntax-at.ts';

const code = (text: string): string => `\`\`\`dfl\n${text}\n\`\`\``;

/** A callable's card: its signature, its documentation, and a def's definition with its file. */
export function describeCallable(callable: Callable): string {
  const parts = [code(callable.signature), callable.doc.join('\n')];
  if (callable.kind === 'primitive') parts.push('*built-in primitive*');
  const site = callable.site;
  if (site !== undefined) {
    parts.push(`${code(site.source.slice(site.decl.span.start.offset, site.decl.span.end.offset))}\n*${site.file ?? 'defined in this file'}*`);
  }
  return parts.filter((p) => p !== '').join('\n\n');
}

function describeMeaning(meaning: Meaning): string | undefined {
  switch (meaning.kind) {
    case 'callable':
      return describeCallable(meaning.callable);
    case 'param':
      return `parameter \`${formatParam(meaning.param)}\` of\n\n${code(formatDefHead(meaning.def))}`;
    case 'input':
      return code(`input ${refName(meaning.ref)}: ${inputShape(meaning.decl)}`);
    case 'implicit-input':
      return `input \`${meaning.name}\` (used without a declaration)`;
    case 'let':
      return undefined;
  }
}

/** The innermost expression under the cursor whose shape the checker recorded. */
function shapedExpr(analysis: DocumentAnalysis, offset: number): { expr: Expr; shape: string } | undefined {
  const statement = statementAt(analysis.ast, offset);
  const root = statement === undefined ? undefined : statementExpr(statement);
  for (const e of root === undefined ? [] : expressionsAt(root, offset)) {
    const shape = analysis.shapeOf(e.span);
    if (shape !== undefined) return { expr: e, shape: formatShape(shape) };
  }
  return undefined;
}

/**
 * The shape of the expression under the cursor (`matrix[d, d]`), and for a call or a name what
 * it refers to: a def's signature, `##` documentation and definition, or a primitive's doc.
 * A let's name shows the shape of its value. Shapes exist once the file checks cleanly up to it.
 */
export function hover(analysis: DocumentAnalysis, offset: number): Hover | null {
  const at = nameAt(analysis.ast, offset);
  const meaning = at === undefined ? undefined : resolveName(analysis, at, offset);
  let shown: { text: string; span: Span } | undefined;
  if (at?.kind === 'let' && meaning?.kind === 'let') {
    const shape = analysis.shapeOf(meaning.decl.value.span);
    if (shape !== undefined) shown = { text: `${meaning.decl.name}: ${formatShape(shape)}`, span: at.span };
  } else {
    const shaped = shapedExpr(analysis, offset);
    if (shaped !== undefined) {
      const written = analysis.source.slice(shaped.expr.span.start.offset, shaped.expr.span.end.offset);
      // A long or multi-line expression is named by its shape alone.
      const text = written.length <= 60 && !/[\r\n]/.test(written) ? `${written}: ${shaped.shape}` : shaped.shape;
      shown = { text, span: shaped.expr.span };
    }
  }
  const about = meaning === undefined ? undefined : describeMeaning(meaning);
  const parts = [shown === undefined ? '' : code(shown.text), about ?? ''].filter((p) => p !== '');
  if (parts.length === 0) return null;
  const span = shown?.span ?? at!.span;
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range: spanToRange(span) };
}
