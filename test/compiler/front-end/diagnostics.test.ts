import { describe, expect, it } from 'vitest';
import { compileSource } from '../../helpers/compile-source.ts';

/** Semantic errors: each case asserts the exact message, code and place. */
function diagnose(source: string) {
  return compileSource(source).diagnostics.map((d) => ({
    at: `${d.span.start.line}:${d.span.start.column}`,
    severity: d.severity,
    code: d.code,
    message: d.message,
  }));
}

const CASES: [string, string, { at: string; code: string; message: string; severity?: string }][] = [
  [
    'a shape error inside a stdlib def, reported at the user call',
    'ortho(spectrum(Z))',
    { at: '1:1', code: 'shape-mismatch', message: 'ortho expects matrix[_, _], got vector[d] (from spectrum(Z))' },
  ],
  [
    'unknown function with a suggestion',
    'balanse(spectrum(Z))',
    { at: '1:1', code: 'unknown-function', message: "unknown function 'balanse'; did you mean 'balance'?" },
  ],
  ['unknown function without a close name', 'frobnicate(Z)', { at: '1:1', code: 'unknown-function', message: "unknown function 'frobnicate'" }],
  [
    'non-scalar objective',
    'cov(Z)',
    {
      at: '1:1',
      code: 'objective-not-scalar',
      message: 'the objective must be a scalar, got matrix[d, d]; reduce it, e.g. with sum(...) or mean(...)',
    },
  ],
  [
    'matrix product with mismatched inner dimensions',
    'sum(Z @ Z)',
    {
      at: '1:5',
      code: 'shape-mismatch',
      message: '@ needs the columns of the left to match the rows of the right, got matrix[n, d] (from Z) and matrix[n, d] (from Z)',
    },
  ],
  [
    'adding a vector to a matrix whose rows it does not match',
    'sum(Z + diag(Z @ t(Z)))',
    {
      at: '1:5',
      code: 'shape-mismatch',
      message: '+ needs equal shapes, a scalar, or a matrix[r, c] and a vector[c] (applied to every row), got matrix[n, d] (from Z) and vector[n] (from diag(Z @ t(Z)))',
    },
  ],
  ['a let defined twice', 'let a = 1\nlet a = 2\na', { at: '2:5', code: 'duplicate-definition', message: "'a' is already defined" }],
  [
    'a recursive def',
    'def f(x) = f(x)\nf(Z)',
    { at: '1:5', code: 'recursion', message: "def 'f' calls itself (f -> f); DFL defs cannot be recursive" },
  ],
  [
    'mutual recursion',
    'def f(x) = g(x)\ndef g(x) = f(x)\nf(Z)',
    { at: '1:5', code: 'recursion', message: "def 'f' calls itself (f -> g -> f); DFL defs cannot be recursive" },
  ],
  ['wrong arity of a primitive', 'sum(Z, Z)', { at: '1:1', code: 'arity', message: 'sum expects 1 argument (x), got 2' }],
  [
    'missing argument of a def',
    'consistent(Z)',
    { at: '1:1', code: 'arity', message: "consistent is missing its argument 'B' (it expects 2 arguments (A, B))" },
  ],
  [
    'unknown keyword argument',
    'variance(Z, gama=2)',
    { at: '1:13', code: 'unknown-keyword', message: "variance has no parameter 'gama'; did you mean 'gamma'?" },
  ],
  ['keyword argument to a primitive', 'sum(x=Z)', { at: '1:5', code: 'keyword-argument', message: 'sum takes no keyword arguments' }],
  ['no objective', 'let a = 1', { at: '1:1', code: 'no-objective', message: 'the file has no objective: end it with an expression or a `minimize` statement' }],
  [
    'two objectives',
    'minimize sum(Z)\nsum(Z)',
    { at: '2:1', code: 'multiple-objectives', message: 'a file has exactly one objective, and this is a second one' },
  ],
  [
    'a function used as a value',
    'sum(cov)',
    { at: '1:5', code: 'not-a-value', message: "'cov' is a function; call it, e.g. cov(Z)" },
  ],
  [
    'redefining a primitive',
    'def log(x) = x\nsum(Z)',
    { at: '1:5', code: 'redefines-primitive', message: "'log' is a built-in primitive and cannot be redefined" },
  ],
  [
    'shadowing a stdlib def warns',
    'def ortho(Z) = fro2(Z)\northo(Z)',
    { at: '1:5', code: 'shadows-stdlib', message: "def 'ortho' shadows the stdlib def of the same name", severity: 'warning' },
  ],
  [
    'a def used before its definition',
    'def f(x) = g(x)\ndef g(x) = sum(x)\nf(Z)',
    { at: '1:12', code: 'use-before-definition', message: "'g' is used before its definition (line 2)" },
  ],
  [
    'eye of a non-dimension',
    'sum(eye(Z))',
    { at: '1:9', code: 'dimension', message: 'eye expects a positive integer or rows(M), cols(M), len(v)' },
  ],
  [
    'a non-scalar exponent',
    'sum(Z ^ Z)',
    { at: '1:5', code: 'shape-mismatch', message: '^ expects a scalar exponent, got matrix[n, d] (from Z)' },
  ],
  [
    'xcov of embeddings with different batch sizes',
    'input A : [n, d]\ninput B : [m, d]\nsum(xcov(A, B))',
    {
      at: '3:5',
      code: 'shape-mismatch',
      message: 'xcov needs both arguments to have the same number of rows, got matrix[n, d] and matrix[m, d]',
    },
  ],
  [
    'an input declared after its first use',
    'let a = sum(Z)\ninput Z : [n, d]\na',
    { at: '2:7', code: 'duplicate-definition', message: "input 'Z' is already used before this declaration" },
  ],
  [
    'time references of one stream with different declared shapes',
    'input Z_t : [n, d]\ninput Z_t+1 : [n, k]\nconsistent(Z_t, Z_t+1)',
    {
      at: '2:7',
      code: 'shape-mismatch',
      message: 'all time references of stream Z share one shape: Z_t+1 is declared matrix[n, k] but the stream is matrix[n, d]',
    },
  ],
  [
    'entropy of a matrix inside a def names the def',
    'balance(Z)',
    { at: '1:1', code: 'shape-mismatch', message: 'in balance(...): entropy expects vector[_], got matrix[n, d] (from s / sum(s))' },
  ],
];

describe('semantic diagnostics', () => {
  for (const [title, source, expected] of CASES) {
    it(title, () => {
      const found = diagnose(source);
      expect(found).toContainEqual({ severity: 'error', ...expected });
    });
  }

  it('an error inside a def points to the def body as related information', () => {
    const [d] = compileSource('ortho(spectrum(Z))').diagnostics;
    expect(d.related?.[0].file).toMatch(/stdlib[/\\]alignment\.dfl$/);
    expect(d.related?.[0].message).toBe('in the body of ortho: corr expects matrix[_, _], got vector[d] (from spectrum(Z))');
  });

  it('time references and plain names are distinct inputs, in order of first use', () => {
    const { program } = compileSource('balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)');
    expect(program?.inputs).toEqual([
      { name: 'Z', shape: ['n', 'd'] },
      { name: 'Z_t', shape: ['n', 'd'] },
      { name: 'Z_t+1', shape: ['n', 'd'] },
    ]);
  });

  it('declared shapes carry over to every time reference of the stream', () => {
    const { program } = compileSource('input H_t : [b, 16]\nconsistent(H_t, H_t-2)');
    expect(program?.inputs).toEqual([
      { name: 'H_t', shape: ['b', 16] },
      { name: 'H_t-2', shape: ['b', 16] },
    ]);
  });
});

describe('objective terms', () => {
  it('splits the objective at its top-level + and -, keeping signs', () => {
    const { terms } = compileSource('balance(spectrum(Z)) + 0.5*ortho(Z) - consistent(Z_t, Z_t+1)');
    expect(terms.map((t) => t.text)).toEqual(['balance(spectrum(Z))', '0.5*ortho(Z)', '-consistent(Z_t, Z_t+1)']);
  });
});
