import { describe, expect, it } from 'vitest';
import { dflLexer } from '../../grammar/tokens.ts';

/** `Type:image` for each token the parser sees. */
function lex(text: string): string[] {
  return dflLexer.tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe('tokens', () => {
  it.each([
    ['Z_t', ['TimeRef:Z_t']],
    ['Z_t+1', ['TimeRef:Z_t+1']],
    ['H_t-2', ['TimeRef:H_t-2']],
    ['Z_t + 1', ['TimeRef:Z_t', 'Plus:+', 'NumberLiteral:1']],
    ['Z_t+x', ['TimeRef:Z_t', 'Plus:+', 'Identifier:x']],
    // A fraction or exponent after the sign is a number, not an offset.
    ['Z_t+1.5', ['TimeRef:Z_t', 'Plus:+', 'NumberLiteral:1.5']],
    ['Z_t+1e3', ['TimeRef:Z_t', 'Plus:+', 'NumberLiteral:1e3']],
    ['Z_t+12x', ['TimeRef:Z_t', 'Plus:+', 'NumberLiteral:12', 'Identifier:x']],
    ['Z_tx a_tb', ['Identifier:Z_tx', 'Identifier:a_tb']],
    ['Z_t_t+2', ['TimeRef:Z_t_t+2']],
    ['f(Z_t+1)', ['Identifier:f', 'LParen:(', 'TimeRef:Z_t+1', 'RParen:)']],
  ])('time reference %s', (text, tokens) => {
    expect(lex(text)).toEqual(tokens);
  });

  it('reads keywords, and names that start with one', () => {
    expect(lex('input def let minimize inputs define letter input_t')).toEqual([
      'Input:input',
      'Def:def',
      'Let:let',
      'Minimize:minimize',
      'Identifier:inputs',
      'Identifier:define',
      'Identifier:letter',
      'TimeRef:input_t',
    ]);
  });

  it('reads every number spelling', () => {
    expect(lex('2 0.5 1e-3 .25 2.5E+4 007')).toEqual(['2', '0.5', '1e-3', '.25', '2.5E+4', '007'].map((n) => `NumberLiteral:${n}`));
  });

  it('reads operators and punctuation', () => {
    expect(lex('+-*/^@()[],=:').map((t) => t.split(':')[0])).toEqual([
      'Plus', 'Minus', 'Star', 'Slash', 'Caret', 'At', 'LParen', 'RParen', 'LBracket', 'RBracket', 'Comma', 'Equals', 'Colon',
    ]);
  });

  it('keeps comments, doc comments included, out of the token stream', () => {
    const result = dflLexer.tokenize('## doc\na # note\r\nb');
    expect(result.tokens.map((t) => t.image)).toEqual(['a', 'b']);
    expect(result.groups.comments.map((t) => t.image)).toEqual(['## doc', '# note']);
  });
});
