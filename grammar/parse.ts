import type { IToken } from 'chevrotain';
import type { Comment, SourceFile, Statement } from './ast.ts';
import { checkSyntax } from './check-syntax.ts';
import type { Diagnostic } from './diagnostic.ts';
import { LineIndex } from './line-index.ts';
import { dflParser } from './parser.ts';
import { lexDiagnostic, parserDiagnostic, type ParsedRun } from './syntax-errors.ts';
import { statementsFromCst } from './to-ast.ts';
import { dflLexer, KEYWORDS, tokenEnd } from './tokens.ts';

export interface ParseResult {
  /** Every statement that parsed cleanly; statements with syntax errors are left out. */
  readonly ast: SourceFile;
  /** Lexical and syntax errors, in source order. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Keywords only ever start statements, so the token stream is cut before each one and each piece
 * is parsed on its own: a mistake in one statement cannot swallow the next, and every independent
 * error is reported in one run. Within a piece, Chevrotain's recovery finds further errors.
 */
function splitAtKeywords(tokens: readonly IToken[]): IToken[][] {
  const runs: IToken[][] = [[]];
  for (const token of tokens) {
    if (KEYWORDS.includes(token.tokenType) && runs.at(-1)!.length > 0) runs.push([]);
    runs.at(-1)!.push(token);
  }
  return runs.filter((run) => run.length > 0);
}

/** A syntax error that only exists because the lexer dropped characters just before it is noise. */
function causedBy(lexErrors: readonly Diagnostic[], diagnostic: Diagnostic, tokens: readonly IToken[]): boolean {
  const at = diagnostic.span.start.offset;
  const before = tokens.filter((t) => tokenEnd(t) <= at).at(-1);
  const from = before === undefined ? 0 : tokenEnd(before);
  const after = tokens.find((t) => t.startOffset >= at);
  const to = after === undefined ? Infinity : tokenEnd(after);
  return lexErrors.some((e) => e.span.start.offset >= from && e.span.start.offset < to);
}

function parseUnguarded(source: string, lines: LineIndex): ParseResult {
  const lexed = dflLexer.tokenize(source);
  const lexErrors = lexed.errors.map((e) => lexDiagnostic(e, lines));
  const diagnostics: Diagnostic[] = [...lexErrors];
  const statements: Statement[] = [];
  const runs = splitAtKeywords(lexed.tokens);
  const linesWithErrors = new Set<number>();
  runs.forEach((tokens, i) => {
    const run: ParsedRun = { tokens, next: runs[i + 1]?.[0] };
    dflParser.input = tokens;
    const cst = dflParser.file();
    for (const error of dflParser.errors) {
      const diagnostic = parserDiagnostic(error, run, lines);
      // After one syntax error, the rest of its line is mostly the parser's confusion: one per line.
      if (linesWithErrors.has(diagnostic.span.start.line) || causedBy(lexErrors, diagnostic, lexed.tokens)) continue;
      linesWithErrors.add(diagnostic.span.start.line);
      diagnostics.push(diagnostic);
    }
    statements.push(...statementsFromCst(cst, lines, diagnostics));
  });
  const comments: Comment[] = (lexed.groups.comments ?? []).map((t) => ({
    text: t.image,
    span: lines.span(t.startOffset, tokenEnd(t)),
  }));
  const ast: SourceFile = { kind: 'file', statements, comments, span: lines.span(0, source.length) };
  diagnostics.push(...checkSyntax(ast, diagnostics.length === 0));
  diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
  return { ast, diagnostics };
}

/** Parses DFL source. Never throws: every problem, even an internal one, comes back as a diagnostic. */
export function parse(source: string): ParseResult {
  const lines = new LineIndex(source);
  try {
    return parseUnguarded(source, lines);
  } catch (error) {
    const tooDeep = error instanceof RangeError;
    const message = tooDeep
      ? 'this file nests expressions too deeply for dflc to parse'
      : `internal error in the parser: ${error instanceof Error ? error.message : String(error)}`;
    return {
      ast: { kind: 'file', statements: [], comments: [], span: lines.span(0, source.length) },
      diagnostics: [{ severity: 'error', code: tooDeep ? 'syntax' : 'internal', message, span: lines.span(0, 0) }],
    };
  }
}
