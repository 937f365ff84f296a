import type { IToken } from 'chevrotain';
import { KEYWORDS } from './tokens.ts';

/**
 * Where statements end. A statement ends at the end of a line when it could end there: the line's
 * last token closes an expression (a name, number, time reference, `)` or `]`) and no bracket is
 * open. So a statement continues over a line that ends in an operator, `=` or `,`, or inside
 * parentheses, and a line starting with `-` is a new statement:
 *
 *     let s = spectrum(Z)
 *     -effrank(Z)            # the objective, not `spectrum(Z) - effrank(Z)`
 *
 * Keywords always start a statement, which also keeps an unclosed `(` from swallowing the rest of
 * the file. The formatter prints one statement per line, so its output always splits the same way.
 */

const ENDS_EXPRESSION = new Set(['Identifier', 'NumberLiteral', 'TimeRef', 'RParen', 'RBracket']);

export interface StatementTokens {
  readonly tokens: IToken[];
  /** Starts with a keyword on the line where the previous statement ends (`let a = 1 let b = 2`). */
  readonly sharesLine: boolean;
}

export function splitStatements(tokens: readonly IToken[]): StatementTokens[] {
  const out: { tokens: IToken[]; sharesLine: boolean }[] = [];
  let depth = 0;
  let previous: IToken | undefined;
  for (const token of tokens) {
    const keyword = KEYWORDS.includes(token.tokenType);
    const newLine = previous !== undefined && (previous.endLine ?? previous.startLine ?? 0) < (token.startLine ?? 0);
    const ends = previous !== undefined && depth === 0 && newLine && ENDS_EXPRESSION.has(previous.tokenType.name);
    if (previous === undefined || keyword || ends) out.push({ tokens: [], sharesLine: keyword && previous !== undefined && !newLine });
    if (keyword) depth = 0;
    if (token.image === '(' || token.image === '[') depth++;
    else if ((token.image === ')' || token.image === ']') && depth > 0) depth--;
    out.at(-1)!.tokens.push(token);
    previous = token;
  }
  return out;
}
