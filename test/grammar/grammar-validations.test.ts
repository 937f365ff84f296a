import { describe, expect, it } from 'vitest';
import { DflParser } from '../../grammar/parser.ts';
import { createLexer } from '../../grammar/tokens.ts';

// The lexer and parser that commands use skip Chevrotain's validations (start-up time); here
// they run, so a change to the tokens or the grammar that Chevrotain rejects fails a test.
describe("Chevrotain's validations of the grammar", () => {
  it('accept the tokens', () => {
    expect(createLexer({ validate: true }).lexerDefinitionErrors).toEqual([]);
  });

  it('accept the grammar', () => {
    expect(() => new DflParser({ validate: true })).not.toThrow();
  });
});
