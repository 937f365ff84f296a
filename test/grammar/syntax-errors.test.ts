import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../grammar/diagnostics-render.ts';
import { parse } from '../../grammar/parse.ts';

/** The first line of each rendered diagnostic: `file:line:col: severity: message`. */
function headlines(source: string): string[] {
  return parse(source).diagnostics.map((d) => renderDiagnostic(d, 'x.dfl', source).split('\n')[0]);
}

// One row per situation: the source, then every diagnostic it must produce, exactly.
const CASES: [string, string, string[]][] = [
  ['missing operand at the end', 'let a = 1 +', ["x.dfl:1:12: error: expected an expression after '+', found the end of the file"]],
  ['missing operand before a bracket', 'a + )', ["x.dfl:1:5: error: expected an expression after '+', found ')'"]],
  ['two operators in a row', 'a*/b', ["x.dfl:1:3: error: expected an expression after '*', found '/'"]],
  ['missing exponent', 'a^', ["x.dfl:1:3: error: expected an expression after '^', found the end of the file"]],
  ['unclosed call', 'f(x', ["x.dfl:1:4: error: expected ',' or ')' after 'x', found the end of the file"]],
  ['unclosed parenthesis before the next statement', 'let a = (1 + 2\nlet b = 3\nb', ["x.dfl:1:15: error: expected ')' after '2', found the keyword 'let'"]],
  ['missing comma between arguments', 'f(x y)', ["x.dfl:1:5: error: expected ',' or ')' after 'x', found 'y'"]],
  ['trailing comma in a call', 'f(x, )', ["x.dfl:1:6: error: expected an argument after ',', found ')'"]],
  ['empty argument list', 'f()', ["x.dfl:1:3: error: expected an argument after '(', found ')'"]],
  ['stray closing parenthesis', 'f(x))', ["x.dfl:1:5: error: unexpected ')' with no matching '('"]],
  ['two expressions on one line', 'a b', ["x.dfl:1:3: error: expected an operator or the end of the line after 'a', found 'b'"]],
  ['two statements on one line', 'let a = 1 let b = 2\nb', ["x.dfl:1:11: error: expected an operator or the end of the line after '1', found the keyword 'let'"]],
  ['assignment without let', 'x = 3', ["x.dfl:1:3: error: unexpected '='; to give a value a name, write 'let x = ...'"]],
  ['let without a name', 'let = 3', ["x.dfl:1:5: error: expected a name after 'let', found '='"]],
  ['keyword as a name', 'let minimize = 1', ["x.dfl:1:5: error: expected a name after 'let', found the keyword 'minimize'"]],
  ['minimize with nothing', 'minimize', ["x.dfl:1:9: error: expected an expression after 'minimize', found the end of the file"]],
  ['def without parameters', 'def f() = 1', ["x.dfl:1:7: error: expected a parameter name after '(', found ')'"]],
  ['def without =', 'def f(x) x', ["x.dfl:1:10: error: expected '=' after ')', found 'x'"]],
  ['def default that is not a number', 'def f(x, g=y) = x', ["x.dfl:1:12: error: expected a number after '=', found 'y'"]],
  ['input without a name', 'input : [n, d]', ["x.dfl:1:7: error: expected an input name after 'input', found ':'"]],
  ['input without a colon', 'input Z [n, d]', ["x.dfl:1:9: error: expected ',' or ':' after 'Z', found '['"]],
  ['unclosed shape', 'input Z : [n, d', ["x.dfl:1:16: error: expected ']' after 'd', found the end of the file"]],
  ['zero dimension', 'input Z : [0, d]\nZ', ["x.dfl:1:12: error: a dimension must be a name or a positive integer, found '0'"]],
  ['fractional dimension', 'input Z : [n, 2.5]\nZ', ["x.dfl:1:15: error: a dimension must be a name or a positive integer, found '2.5'"]],
  ['time offset zero', 'consistent(Z_t, Z_t+0)', ["x.dfl:1:17: error: a time reference with no offset is written 'Z_t', not 'Z_t+0'"]],
  ['huge time offset', 'Z_t+99999999999999999999', ["x.dfl:1:1: error: the time offset in 'Z_t+99999999999999999999' is too large"]],
  ['huge number', 'f(1e999)', ["x.dfl:1:3: error: the number '1e999' is too large"]],
  ['positional after keyword argument', 'f(a=1, b)', ["x.dfl:1:8: error: a positional argument cannot follow the keyword argument 'a'"]],
  ['bare expression before the end', 'a\nlet b = 1\nb', ["x.dfl:1:1: error: only the last statement of a file can be a bare expression (it is the objective); did you mean 'let NAME = ...'?"]],
  ['continuation line starting with an operator', 'minimize a\n  + b', ["x.dfl:2:3: error: a line cannot start with '+'; to continue an expression on the next line, end the previous line with the operator"]],
  ['bad character', 'a $ b', ["x.dfl:1:3: error: unexpected character '$'"]],
  ['non-ASCII name', 'let α = 1', ["x.dfl:1:5: error: unexpected character 'α' (DFL names use ASCII letters, digits and _)"]],
  ['invisible character', 'a\u00a0+ b', ["x.dfl:1:2: error: unexpected character 'U+00A0' (DFL names use ASCII letters, digits and _)"]],
  ['number ending in a dot', '2.', ["x.dfl:1:2: error: unexpected '.' after a number; write '2' or '2.0', not '2.'"]],
  ['errors in two statements', 'let a = 1 +\nlet b = (2\nminimize a', [
    "x.dfl:1:12: error: expected an expression after '+', found the keyword 'let'",
    "x.dfl:2:11: error: expected ')' after '2', found the keyword 'minimize'",
  ]],
  ['errors on later lines of one def', 'def f(x) =\n  g(x,\n    y +)', ["x.dfl:3:8: error: expected an expression after '+', found ')'"]],
];

describe('syntax and lexical errors', () => {
  it.each(CASES)('%s', (_name, source, expected) => {
    expect(headlines(source)).toEqual(expected);
  });

  it('uses the codes lex and syntax', () => {
    expect(parse('a $ b').diagnostics.map((d) => d.code)).toEqual(['lex']);
    expect(parse('a +').diagnostics.map((d) => d.code)).toEqual(['syntax']);
  });

  it('points to the opening bracket of an unclosed one', () => {
    const source = 'balance(spectrum(Z)';
    const [d] = parse(source).diagnostics;
    expect(renderDiagnostic(d, 'x.dfl', source)).toBe(
      [
        "x.dfl:1:20: error: expected ',' or ')' after ')', found the end of the file",
        '  1 | balance(spectrum(Z)',
        '    |                    ^',
        "x.dfl:1:8: note: to match this '('",
      ].join('\n'),
    );
  });

  it('reports a missing operand right after the operator when the next token is on a later line', () => {
    const source = 'let a = 2 *\n\nlet b = 1\nb';
    expect(renderDiagnostic(parse(source).diagnostics[0], 'x.dfl', source)).toBe(
      ["x.dfl:1:12: error: expected an expression after '*', found the keyword 'let'", '  1 | let a = 2 *', '    |            ^'].join('\n'),
    );
  });

  it('keeps the statements around an error', () => {
    const { ast } = parse('let a = 1\nlet b = )\nminimize a');
    expect(ast.statements.map((s) => s.kind)).toEqual(['let', 'minimize']);
  });
});
