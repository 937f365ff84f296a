import type { CustomPatternMatcherReturn, IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.ts';

const { createToken, Lexer } = chevrotain;

/**
 * DFL's tokens (LANGUAGE.md, "Lexical rules"). Operator families are token categories so that the
 * parser has one rule per precedence level rather than one alternative per operator.
 */

const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];

const TIME_REF = /[A-Za-z][A-Za-z0-9_]*_t(?![A-Za-z0-9_])/y;
const OFFSET = /[+-][0-9]+(?![0-9A-Za-z_.])/y;

/**
 * `Z_t`, `Z_t+1`, `H_t-2` as one token. The offset belongs to the time reference only when it is
 * a whole integer written with no space: `Z_t+1.5`, `Z_t+1e3` and `Z_t+x` are `Z_t` plus a number
 * or a name, because reading `Z_t+1` out of `Z_t+1.5` would silently change the meaning.
 */
function matchTimeRef(text: string, offset: number): CustomPatternMatcherReturn | null {
  TIME_REF.lastIndex = offset;
  const name = TIME_REF.exec(text);
  if (name === null) return null;
  OFFSET.lastIndex = offset + name[0].length;
  const step = OFFSET.exec(text);
  return [step === null ? name[0] : name[0] + step[0]];
}

/** A byte-order mark, which some editors put at the start of a file, counts as white space. */
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** Kept in their own group: the parser never sees them, the formatter puts them back. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });

export const TimeRef = createToken({
  name: 'TimeRef',
  label: 'a time reference',
  pattern: { exec: matchTimeRef },
  line_breaks: false,
  start_chars_hint: LETTERS,
});

export const Identifier = createToken({ name: 'Identifier', label: 'a name', pattern: /[A-Za-z][A-Za-z0-9_]*/ });

function keyword(word: string): TokenType {
  return createToken({
    name: word[0].toUpperCase() + word.slice(1),
    label: `'${word}'`,
    pattern: new RegExp(word),
    // `letter`, `input_t` and `defs` are names, not keywords.
    longer_alt: [TimeRef, Identifier],
  });
}

export const Input = keyword('input');
export const ParamKeyword = keyword('param');
export const Def = keyword('def');
export const Let = keyword('let');
export const Minimize = keyword('minimize');
export const KEYWORDS: readonly TokenType[] = [Input, ParamKeyword, Def, Let, Minimize];

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  label: 'a number',
  pattern: /(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/,
});

export const AdditiveOperator = createToken({ name: 'AdditiveOperator', pattern: Lexer.NA });
export const MultiplicativeOperator = createToken({ name: 'MultiplicativeOperator', pattern: Lexer.NA });

function punctuation(name: string, text: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, label: `'${text}'`, pattern: text, categories });
}

export const Plus = punctuation('Plus', '+', [AdditiveOperator]);
export const Minus = punctuation('Minus', '-', [AdditiveOperator]);
export const Star = punctuation('Star', '*', [MultiplicativeOperator]);
export const Slash = punctuation('Slash', '/', [MultiplicativeOperator]);
export const At = punctuation('At', '@', [MultiplicativeOperator]);
export const Caret = punctuation('Caret', '^');
export const LParen = punctuation('LParen', '(');
export const RParen = punctuation('RParen', ')');
export const LBracket = punctuation('LBracket', '[');
export const RBracket = punctuation('RBracket', ']');
export const Comma = punctuation('Comma', ',');
export const Equals = punctuation('Equals', '=');
export const Colon = punctuation('Colon', ':');

/** Order matters where patterns overlap: keywords and time references before plain names. */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  ...KEYWORDS,
  TimeRef,
  Identifier,
  NumberLiteral,
  AdditiveOperator,
  MultiplicativeOperator,
  Plus,
  Minus,
  Star,
  Slash,
  At,
  Caret,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Equals,
  Colon,
];

/**
 * The lexer. Chevrotain's validations of the token definitions cost start-up time on every run and
 * can only fail when the tokens change, so the lexer every command uses skips them and a test
 * builds one with them (test/grammar/grammar-validations.test.ts).
 */
export function createLexer(options: { readonly validate: boolean }): InstanceType<typeof Lexer> {
  return new Lexer([...allTokens], { ensureOptimizations: true, positionTracking: 'full', skipValidations: !options.validate });
}

export const dflLexer = createLexer({ validate: false });

/** The offset just after `token` (Chevrotain's own `endOffset` is inclusive and optional). */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}
