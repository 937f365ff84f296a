import type { DefDecl, SourceFile } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import { parse } from '../../grammar/parse.ts';

/** A stdlib def with where it came from and its `##` documentation. */
export interface PreludeDef {
  readonly decl: DefDecl;
  /** The stdlib file's path as the caller named it (for diagnostics and `dflc doc`). */
  readonly file: string;
  readonly source: string;
  /** The `##` comment lines directly above the def, without the `##`. */
  readonly doc: readonly string[];
}

export interface Prelude {
  readonly defs: ReadonlyMap<string, PreludeDef>;
}

export interface PreludeSource {
  readonly path: string;
  readonly source: string;
}

/** The `##` lines that end on the line just above `line`, top to bottom. */
export function docCommentsAbove(file: SourceFile, line: number): string[] {
  const byLine = new Map(file.comments.map((c) => [c.span.start.line, c.text] as const));
  const doc: string[] = [];
  for (let l = line - 1; byLine.get(l)?.startsWith('##'); l--) {
    doc.unshift(byLine.get(l)!.replace(/^##\s?/, ''));
  }
  return doc;
}

/**
 * Builds the prelude from stdlib sources (the CLI reads them; the compiler reads no files).
 * Problems in the stdlib itself come back as diagnostics tagged with the file's path.
 */
export function buildPrelude(sources: readonly PreludeSource[]): {
  prelude: Prelude;
  problems: { file: string; diagnostic: Diagnostic }[];
} {
  const defs = new Map<string, PreludeDef>();
  const problems: { file: string; diagnostic: Diagnostic }[] = [];
  for (const { path, source } of sources) {
    const { ast, diagnostics } = parse(source);
    for (const diagnostic of diagnostics) problems.push({ file: path, diagnostic });
    for (const statement of ast.statements) {
      if (statement.kind !== 'def') continue;
      if (defs.has(statement.name)) {
        problems.push({
          file: path,
          diagnostic: {
            severity: 'error',
            code: 'duplicate-definition',
            message: `stdlib def '${statement.name}' is defined twice`,
            span: statement.nameSpan,
          },
        });
        continue;
      }
      defs.set(statement.name, { decl: statement, file: path, source, doc: docCommentsAbove(ast, statement.span.start.line) });
    }
  }
  return { prelude: { defs }, problems };
}

/** An empty prelude, for compiling without the stdlib. */
export const EMPTY_PRELUDE: Prelude = { defs: new Map() };
