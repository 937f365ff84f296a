import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { dflLexer, Comment, Identifier, NumberLiteral, TimeRef, KEYWORDS, tokenEnd } from '../../grammar/tokens.ts';
import { format } from '../../grammar/format.ts';
import { arbitrarySourceFile } from '../helpers/arbitrary-source-file.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';

const GRAMMAR = join(REPO_ROOT, 'editors', 'vscode', 'syntaxes', 'dfl.tmLanguage.json');

let grammar: IGrammar;
beforeAll(async () => {
  // The engine VS Code itself uses: vscode-textmate over the Oniguruma regex library in WebAssembly.
  await loadWASM(readFileSync(join(REPO_ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm')).buffer as ArrayBuffer);
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new OnigScanner(s), createOnigString: (s: string) => new OnigString(s) }),
    loadGrammar: async () => parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR),
  });
  const loaded = await registry.loadGrammar('source.dfl');
  if (loaded === null) throw new Error('the DFL grammar did not load');
  grammar = loaded;
});

interface Token {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The innermost scope (the whole file is `source.dfl`). */
  readonly scope: string;
}

function tokenize(text: string): Token[] {
  let state = INITIAL;
  return text.split('\n').flatMap((line, n) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ line: n, start: t.startIndex, end: t.endIndex, text: line.slice(t.startIndex, t.endIndex), scope: t.scopes.at(-1)! }));
  });
}

/** The non-blank tokens of one line as [text, scope]. */
const tokensOf = (line: string): [string, string][] => tokenize(line).filter((t) => t.text.trim() !== '').map((t) => [t.text, t.scope]);

describe('the DFL TextMate grammar (vscode-textmate + vscode-oniguruma)', () => {
  it('reads Z_t+1 as one time reference and Z_t + 1 as an addition', () => {
    expect(tokensOf('Z_t+1')).toEqual([['Z_t+1', 'variable.other.time-reference.dfl']]);
    expect(tokensOf('Z_t + 1')).toEqual([
      ['Z_t', 'variable.other.time-reference.dfl'],
      ['+', 'keyword.operator.arithmetic.dfl'],
      ['1', 'constant.numeric.dfl'],
    ]);
  });

  it('keeps an offset only when it is a whole integer, as the lexer does', () => {
    expect(tokensOf('H_t-2')).toEqual([['H_t-2', 'variable.other.time-reference.dfl']]);
    expect(tokensOf('Z_t+1.5')).toEqual([
      ['Z_t', 'variable.other.time-reference.dfl'],
      ['+', 'keyword.operator.arithmetic.dfl'],
      ['1.5', 'constant.numeric.dfl'],
    ]);
    expect(tokensOf('Z_t+x')).toEqual([
      ['Z_t', 'variable.other.time-reference.dfl'],
      ['+', 'keyword.operator.arithmetic.dfl'],
      ['x', 'variable.other.dfl'],
    ]);
  });

  it('scopes keywords, the names they define, calls, numbers, operators and both kinds of comment', () => {
    expect(tokensOf('def flat(Z, weight=1) = weight * balance(spectrum(Z)) # c')).toEqual([
      ['def', 'keyword.other.def.dfl'],
      ['flat', 'entity.name.function.definition.dfl'],
      ['(', 'punctuation.parenthesis.dfl'],
      ['Z', 'variable.other.dfl'],
      [',', 'punctuation.separator.comma.dfl'],
      ['weight', 'variable.other.dfl'],
      ['=', 'keyword.operator.assignment.dfl'],
      ['1', 'constant.numeric.dfl'],
      [')', 'punctuation.parenthesis.dfl'],
      ['=', 'keyword.operator.assignment.dfl'],
      ['weight', 'variable.other.dfl'],
      ['*', 'keyword.operator.arithmetic.dfl'],
      ['balance', 'entity.name.function.call.dfl'],
      ['(', 'punctuation.parenthesis.dfl'],
      ['spectrum', 'entity.name.function.call.dfl'],
      ['(', 'punctuation.parenthesis.dfl'],
      ['Z', 'variable.other.dfl'],
      [')', 'punctuation.parenthesis.dfl'],
      [')', 'punctuation.parenthesis.dfl'],
      ['# c', 'comment.line.number-sign.dfl'],
    ]);
    expect(tokensOf('## The covariance spectrum')).toEqual([['## The covariance spectrum', 'comment.line.double-number-sign.documentation.dfl']]);
    expect(tokensOf('input E : [n, 4]')).toEqual([
      ['input', 'keyword.other.input.dfl'],
      ['E', 'variable.other.dfl'],
      [':', 'punctuation.separator.type.dfl'],
      ['[', 'punctuation.bracket.dfl'],
      ['n', 'variable.other.dfl'],
      [',', 'punctuation.separator.comma.dfl'],
      ['4', 'constant.numeric.dfl'],
      [']', 'punctuation.bracket.dfl'],
    ]);
    expect(tokensOf('let lambda = 1e-3 @ x2')).toEqual([
      ['let', 'keyword.other.let.dfl'],
      ['lambda', 'variable.other.definition.dfl'],
      ['=', 'keyword.operator.assignment.dfl'],
      ['1e-3', 'constant.numeric.dfl'],
      ['@', 'keyword.operator.matmul.dfl'],
      ['x2', 'variable.other.dfl'],
    ]);
    // `letter` and `minimized` are names; `input_t` is a time reference, as in the lexer.
    expect(tokensOf('letter minimized input_t')).toEqual([
      ['letter', 'variable.other.dfl'],
      ['minimized', 'variable.other.dfl'],
      ['input_t', 'variable.other.time-reference.dfl'],
    ]);
  });

  /** The scope each lexer token kind must get, as a test on the scope's name. */
  const expectedScope = new Map<unknown, (scope: string) => boolean>([
    [TimeRef, (s) => s === 'variable.other.time-reference.dfl'],
    [NumberLiteral, (s) => s === 'constant.numeric.dfl'],
    [Identifier, (s) => /^(variable\.other|entity\.name\.function)\./.test(s)],
    [Comment, (s) => s.startsWith('comment.line.')],
    ...KEYWORDS.map((k) => [k, (s: string) => s.startsWith('keyword.other.')] as const),
  ]);

  /** Every name, number, time reference, keyword and comment the lexer reads is one grammar token of its kind. */
  function agreesWithLexer(text: string): void {
    const tokens = tokenize(text);
    const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
    const lexed = dflLexer.tokenize(text);
    for (const t of [...lexed.tokens, ...(lexed.groups.comments ?? [])]) {
      const check = expectedScope.get(t.tokenType);
      if (check === undefined) continue;
      const line = lineStarts.filter((s) => s <= t.startOffset).length - 1;
      const start = t.startOffset - lineStarts[line];
      const found = tokens.find((g) => g.line === line && g.start === start && g.end === start + (tokenEnd(t) - t.startOffset));
      expect(found, `'${t.image}' at ${line + 1}:${start + 1}`).toBeDefined();
      expect(check(found!.scope), `'${t.image}' scoped ${found!.scope}`).toBe(true);
    }
  }

  it('agrees with the lexer on every example and stdlib file', () => {
    for (const dir of ['examples', 'stdlib']) {
      for (const f of readdirSync(join(REPO_ROOT, dir)).filter((n) => n.endsWith('.dfl'))) {
        agreesWithLexer(readFileSync(join(REPO_ROOT, dir, f), 'utf8'));
      }
    }
  });

  it('agrees with the lexer on random files of every construct', () => {
    fc.assert(fc.property(arbitrarySourceFile, (ast) => agreesWithLexer(format(ast))), { numRuns: 200 });
  });

  it('agrees with the lexer on random text made of DFL’s characters', () => {
    const soup = fc.string({ unit: fc.constantFrom(...'Zt_Hx19e.+-*/@^()[],:=# \n'.split(''), 'let ', 'def', 'input', '_t', '_t+'), maxLength: 60 });
    fc.assert(fc.property(soup, agreesWithLexer), { numRuns: 500 });
  });
});
