import type { DefDecl, InputDecl, LetDecl, NameRef, Param, TimeRef } from '../../grammar/ast.ts';
import type { Span } from '../../grammar/span.ts';
import { timeRefName } from '../../compiler/front-end/input-names.ts';
import { formatShape } from '../../compiler/ir/shape.ts';
import type { Callable } from './callables.ts';
import type { DocumentAnalysis } from './document-analysis.ts';
import { paramNameSpan, statementAt, type NameAt } from './syntax-at.ts';

/** What a name means, resolved as the elaborator resolves it. */
export type Meaning =
  | { readonly kind: 'callable'; readonly callable: Callable }
  | { readonly kind: 'param'; readonly def: DefDecl; readonly param: Param; readonly owner?: Callable }
  | { readonly kind: 'let'; readonly decl: LetDecl }
  | { readonly kind: 'input'; readonly decl: InputDecl; readonly ref: NameRef | TimeRef }
  /** A name nothing defines is an input whose shape defaults to `[n, d]`. */
  | { readonly kind: 'implicit-input'; readonly name: string };

/** The input a declared name or time reference stands for (`Z_t+1` names input `Z_t+1`). */
export const refName = (ref: NameRef | TimeRef): string => (ref.kind === 'name' ? ref.name : timeRefName(ref.stream, ref.offset));

/** `matrix[n, d]`: the shape an input declaration gives. */
export const inputShape = (decl: Pick<InputDecl, 'shape'>): string => formatShape(decl.shape.map((d) => (d.kind === 'int' ? d.value : d.name)));

function valueNamed(analysis: DocumentAnalysis, name: string, offset: number): Meaning {
  const here = statementAt(analysis.ast, offset);
  // Inside a def body, parameters come first, then lets, then inputs.
  const param = here?.kind === 'def' ? here.params.find((p) => p.name === name) : undefined;
  if (here?.kind === 'def' && param !== undefined) return { kind: 'param', def: here, param };
  for (const s of analysis.ast.statements) {
    if (s.kind === 'let' && s.name === name) return { kind: 'let', decl: s };
  }
  for (const s of analysis.ast.statements) {
    const ref = s.kind === 'input' ? s.names.find((r) => refName(r) === name) : undefined;
    if (s.kind === 'input' && ref !== undefined) return { kind: 'input', decl: s, ref };
  }
  return { kind: 'implicit-input', name };
}

/** The meaning of the name at `offset`, or undefined when it names nothing known (a typo). */
export function resolveName(analysis: DocumentAnalysis, at: NameAt, offset: number): Meaning | undefined {
  switch (at.kind) {
    case 'callee': {
      const callable = analysis.callables.get(at.call.callee);
      return callable === undefined ? undefined : { kind: 'callable', callable };
    }
    case 'keyword': {
      const owner = analysis.callables.get(at.call.callee);
      const param = owner?.site?.decl.params.find((p) => p.name === at.arg.name);
      return owner?.site === undefined || param === undefined ? undefined : { kind: 'param', def: owner.site.decl, param, owner };
    }
    case 'reference':
      return valueNamed(analysis, refName(at.ref), offset);
    case 'let':
      return valueNamed(analysis, at.name, offset);
    case 'def': {
      const callable = analysis.callables.get(at.def.name);
      return callable === undefined ? undefined : { kind: 'callable', callable };
    }
    case 'param':
      return { kind: 'param', def: at.def, param: at.param };
    case 'input':
      return valueNamed(analysis, refName(at.ref), offset);
  }
}

/** Where a meaning is defined: a span in the document, or in a stdlib file (path as the prelude names it). */
export function definitionSite(meaning: Meaning): { file?: string; span: Span } | undefined {
  switch (meaning.kind) {
    case 'callable': {
      const site = meaning.callable.site;
      return site === undefined ? undefined : { ...(site.file === undefined ? {} : { file: site.file }), span: site.decl.nameSpan };
    }
    case 'param': {
      const file = meaning.owner?.site?.file;
      return { ...(file === undefined ? {} : { file }), span: paramNameSpan(meaning.param) };
    }
    case 'let':
      return { span: meaning.decl.nameSpan };
    case 'input':
      return { span: meaning.ref.span };
    case 'implicit-input':
      return undefined;
  }
}
