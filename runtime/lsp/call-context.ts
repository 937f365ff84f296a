import type { IToken } from 'chevrotain';
import { dflLexer, Identifier, LParen, RParen, Comma, Equals, tokenEnd } from '../../grammar/tokens.ts';

/** The call whose parentheses hold the cursor, read from tokens so that half-typed calls count. */
export interface CallContext {
  readonly callee: string;
  /** Which argument the cursor is in, counting from 0. */
  readonly argIndex: number;
  /** The keyword of the current argument when it is written `name = ...` before the cursor. */
  readonly keyword?: string;
  /** Keywords already given in the call before the cursor. */
  readonly keywordsGiven: readonly string[];
}

interface Open {
  readonly callee: string | undefined;
  commas: number;
  keyword: string | undefined;
  readonly keywords: string[];
}

/**
 * The innermost unclosed `name(` before `offset`. Syntax errors elsewhere do not matter: the
 * lexer always tokenises, and an unmatched `)` only closes what is open.
 */
export function callContext(source: string, offset: number): CallContext | undefined {
  const tokens = dflLexer.tokenize(source).tokens.filter((t) => tokenEnd(t) <= offset);
  const stack: Open[] = [];
  let previous: IToken | undefined;
  let beforePrevious: IToken | undefined;
  for (const token of tokens) {
    const top = stack.at(-1);
    if (token.tokenType === LParen) {
      stack.push({ callee: previous?.tokenType === Identifier ? previous.image : undefined, commas: 0, keyword: undefined, keywords: [] });
    } else if (token.tokenType === RParen) {
      stack.pop();
    } else if (token.tokenType === Comma && top !== undefined) {
      top.commas++;
      top.keyword = undefined;
    } else if (token.tokenType === Equals && top !== undefined && previous?.tokenType === Identifier) {
      // `name =` right after `(` or `,` names the argument.
      if (beforePrevious?.tokenType === LParen || beforePrevious?.tokenType === Comma) {
        top.keyword = previous.image;
        top.keywords.push(previous.image);
      }
    }
    beforePrevious = previous;
    previous = token;
  }
  // Parentheses that group rather than call are not calls: look outwards for one that is.
  for (let i = stack.length - 1; i >= 0; i--) {
    const open = stack[i];
    if (open.callee === undefined) continue;
    return {
      callee: open.callee,
      argIndex: open.commas,
      ...(open.keyword === undefined ? {} : { keyword: open.keyword }),
      keywordsGiven: open.keywords,
    };
  }
  return undefined;
}
