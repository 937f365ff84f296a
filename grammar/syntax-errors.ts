import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import type { Diagnostic, RelatedInformation } from './diagnostic.ts';
import type { LineIndex } from './line-index.ts';
import { decodeSyntaxError } from './parser.ts';
import type { Span } from './span.ts';
import { KEYWORDS, tokenEnd } from './tokens.ts';

/**
 * Turns the lexer's and parser's failures into diagnostics a person can act on: what was
 * expected, after which token, and what came instead, with the caret where the fix goes.
 */

const OPENER: Record<string, string> = { ')': '(', ']': '[' };

function describe(token: IToken | undefined): string {
  if (token === undefined) return 'the end of the file';
  if (KEYWORDS.includes(token.tokenType)) return `the keyword '${token.image}'`;
  return `'${token.image}'`;
}

function describeCharacters(text: string, before: string): string {
  if (text === '.' && /[0-9]$/.test(before)) return "unexpected '.' after a number; write '2' or '2.0', not '2.'";
  const shown = [...text]
    .map((c) => (/[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))
    .join('');
  const hint = /[^\x00-\x7f]/.test(text) ? ' (DFL names use ASCII letters, digits and _)' : '';
  return `unexpected character${[...text].length > 1 ? 's' : ''} '${shown}'${hint}`;
}

export function lexDiagnostic(error: ILexingError, lines: LineIndex): Diagnostic {
  const text = lines.text.slice(error.offset, error.offset + error.length);
  return {
    severity: 'error',
    code: 'lex',
    message: describeCharacters(text, lines.text.slice(0, error.offset)),
    span: lines.span(error.offset, error.offset + error.length),
  };
}

/** The tokens of one statement, and the token that follows them in the file (undefined at its end). */
export interface ParsedRun {
  readonly tokens: readonly IToken[];
  readonly next: IToken | undefined;
  /** Whether this is the file's first statement. */
  readonly first: boolean;
}

const BINARY_ONLY = new Set(['+', '*', '/', '@', '^']);

/** What may follow the complete statement ending in `last`. */
function endOfStatement(last: IToken | undefined): string {
  return last?.image === ']' ? 'the end of the line' : 'an operator or the end of the line';
}

/** The next statement starts on the line where `run` ends: `let a = 1 let b = 2`. */
export function statementEndDiagnostic(run: ParsedRun, lines: LineIndex): Diagnostic {
  const last = run.tokens.at(-1);
  const message = `expected ${endOfStatement(last)} after '${last?.image ?? ''}', found ${describe(run.next)}`;
  const span = run.next === undefined ? lines.span(lines.text.length, lines.text.length) : lines.span(run.next.startOffset, tokenEnd(run.next));
  return { severity: 'error', code: 'syntax', message, span };
}

const isReal = (token: IToken | undefined): token is IToken =>
  token !== undefined && token.tokenType.name !== 'EOF' && !Number.isNaN(token.startOffset);

/** The innermost bracket still open just before `index` in `tokens`, if any. */
function openBracket(tokens: readonly IToken[], index: number): IToken | undefined {
  const stack: IToken[] = [];
  for (const token of tokens.slice(0, index)) {
    if (token.image === '(' || token.image === '[') stack.push(token);
    else if (OPENER[token.image] !== undefined && stack.at(-1)?.image === OPENER[token.image]) stack.pop();
  }
  return stack.at(-1);
}

/** The span of `token`, or an empty span at the end of the text when the file ended instead. */
function spanOf(token: IToken | undefined, lines: LineIndex): Span {
  return token === undefined ? lines.span(lines.text.length, lines.text.length) : lines.span(token.startOffset, tokenEnd(token));
}

/** Input left over after a complete statement. */
function leftoverMessage(actual: IToken | undefined, run: ParsedRun, index: number): string {
  const previous = run.tokens[index - 1];
  const opener = actual === undefined ? undefined : OPENER[actual.image];
  if (actual !== undefined && opener !== undefined && openBracket(run.tokens, index) === undefined) {
    return `unexpected '${actual.image}' with no matching '${opener}'`;
  }
  if (actual?.image === '=' && index === 1 && previous.tokenType.name === 'Identifier') {
    return `unexpected '='; to give a value a name, write 'let ${previous.image} = ...'`;
  }
  if (previous === undefined) return `unexpected ${describe(actual)}`;
  return `expected ${endOfStatement(previous)} after '${previous.image}', found ${describe(actual)}`;
}

export function parserDiagnostic(error: IRecognitionException, run: ParsedRun, lines: LineIndex): Diagnostic {
  const facts = decodeSyntaxError(error.message);
  const actual = isReal(error.token) ? error.token : run.next;
  const index = isReal(error.token) ? run.tokens.indexOf(error.token) : run.tokens.length;
  const previous: IToken | undefined = run.tokens[index - 1];
  const diagnostic = (message: string, span: Span, related: RelatedInformation[] = []): Diagnostic => ({
    severity: 'error',
    code: 'syntax',
    message,
    span,
    ...(related.length > 0 ? { related } : {}),
  });
  if (facts.kind === 'unexpected') return diagnostic(leftoverMessage(actual, run, index), spanOf(actual, lines));
  if (index === 0 && !run.first && actual !== undefined && BINARY_ONLY.has(actual.image)) {
    const message = `a line cannot start with '${actual.image}'; to continue an expression on the next line, end the previous line with the operator`;
    return diagnostic(message, spanOf(actual, lines));
  }
  const message = `expected ${facts.expected}${facts.previous === undefined ? '' : ` after '${facts.previous}'`}, found ${describe(actual)}`;
  // When what came instead is on a later line (or the file ended), the fix goes right after the previous token.
  const later = actual === undefined || (previous !== undefined && actual.startLine !== previous.endLine);
  const span = later && previous !== undefined ? lines.span(tokenEnd(previous), tokenEnd(previous)) : spanOf(actual, lines);
  const closer = /'([)\]])'$/.exec(facts.expected ?? '')?.[1];
  const opener = closer === undefined ? undefined : openBracket(run.tokens, index);
  const related = opener === undefined ? [] : [{ message: `to match this '${opener.image}'`, span: spanOf(opener, lines) }];
  return diagnostic(message, span, related);
}
