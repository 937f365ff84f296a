import type { DefDecl, SourceFile } from '../../grammar/ast.ts';
import { formatDefHead, formatParam } from '../../grammar/format.ts';
import { docCommentsAbove, type Prelude } from '../../compiler/front-end/prelude.ts';
import { PRIMITIVES } from '../../compiler/surface/index.ts';

/** Where a def is written: a stdlib file (path as the prelude names it) or the document itself. */
export interface DefSite {
  readonly decl: DefDecl;
  /** The stdlib file's path; absent for a def in the document. */
  readonly file?: string;
  readonly source: string;
}

/** Something a DFL file can call, as editors describe it. */
export interface Callable {
  readonly name: string;
  readonly kind: 'primitive' | 'stdlib' | 'def';
  /** `barlow(A, B, lambda=0.005)`, `cov(Z: matrix)`. */
  readonly signature: string;
  /** Each parameter as the signature writes it (`lambda=0.005`), and its bare name. */
  readonly params: readonly { readonly name: string; readonly label: string }[];
  /** The `##` lines of a def, or a primitive's one-line doc. */
  readonly doc: readonly string[];
  /** Absent for primitives, which are written in TypeScript. */
  readonly site?: DefSite;
}

function defCallable(kind: 'stdlib' | 'def', decl: DefDecl, doc: readonly string[], site: DefSite): Callable {
  const signature = formatDefHead(decl);
  const params = decl.params.map((p) => ({ name: p.name, label: formatParam(p) }));
  return { name: decl.name, kind, signature, params, doc, site };
}

/**
 * Every name a document can call, as the elaborator resolves it: a def in the document replaces
 * a stdlib def of the same name (the first one wins if it is written twice); primitives cannot
 * be replaced.
 */
export function callablesOf(ast: SourceFile, source: string, prelude: Prelude): ReadonlyMap<string, Callable> {
  const out = new Map<string, Callable>();
  for (const p of PRIMITIVES.values()) {
    const params = p.params.map((q) => ({ name: q.name, label: `${q.name}: ${q.kind}` }));
    out.set(p.name, { name: p.name, kind: 'primitive', signature: `${p.name}(${params.map((q) => q.label).join(', ')})`, params, doc: [p.doc] });
  }
  for (const def of prelude.defs.values()) {
    out.set(def.decl.name, defCallable('stdlib', def.decl, def.doc, { decl: def.decl, file: def.file, source: def.source }));
  }
  const own = new Set<string>();
  for (const statement of ast.statements) {
    if (statement.kind !== 'def' || PRIMITIVES.has(statement.name) || own.has(statement.name)) continue;
    own.add(statement.name);
    out.set(statement.name, defCallable('def', statement, docCommentsAbove(ast, statement.span.start.line), { decl: statement, source }));
  }
  return out;
}
