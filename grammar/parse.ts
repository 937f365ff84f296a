import type { IToken } from 'chevrotain';
import type { Comment, SourceFile, Statement } from './ast.ts';
import { checkSyntax } from './check-syntax.ts';
import type { Diagnostic } from './diagnostic.ts';
import { LineIndex } from './line-index.ts';
import { nestingDiagnostic } from './nesting.ts';
import { dflParser } from './parser.ts';
import { splitStatements } from './split-statements.ts';
import { lexDiagnostic, parserDiagnostic, statementEndDiagnostic, type ParsedRun } from './syntax-errors.ts';
import { statementFromCst } from './to-ast.ts';
import { dflLexer, tokenEnd } from './tokens.ts';

export interface ParseResult {
  /**
   * The statements that parsed, some of them repaired by error recovery (a stray token skipped);
   * those the parser could not make sense of are left out.
   */
  readonly ast: SourceFile;
  /** Lexical and syntax errors, in source order. */
  readonly diagnostics: Diagnostic[];
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
  const runs = splitStatements(lexed.tokens);
  const linesWithErrors = new Set<number>();
  const report = (diagnostic: Diagnostic): void => {
    // After one syntax error, the rest of its line is mostly the parser's confusion: one per line.
    if (linesWithErrors.has(diagnostic.span.start.line) || causedBy(lexErrors, diagnostic, lexed.tokens)) return;
    linesWithErrors.add(diagnostic.span.start.line);
    diagnostics.push(diagnostic);
  };
  runs.forEach(({ tokens }, i) => {
    const run: ParsedRun = { tokens, next: runs[i + 1]?.tokens[0], first: i === 0 };
    dflParser.input = tokens;
    const cst = dflParser.line();
    dflParser.errors.forEach((error) => report(parserDiagnostic(error, run, lines)));
    if (dflParser.errors.length === 0 && runs[i + 1]?.sharesLine === true) report(statementEndDiagnostic(run, lines));
    const statement = statementFromCst(cst, lines, diagnostics);
    if (statement === undefined) return;
    // A statement nested too deeply for the passes after parsing is reported here and kept out of the AST.
    const tooDeep = nestingDiagnostic(statement);
    if (tooDeep === undefined) statements.push(statement);
    else diagnostics.push(tooDeep);
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
