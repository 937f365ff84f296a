import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../helpers/compile-source.ts';
import { PARAM_HEADER, randomExpression, type Type } from '../../helpers/random-dfl.ts';

/**
 * A failed statement poisons what it defines: whatever depends on it reports nothing more, while
 * problems independent of it are all still reported.
 */
function diagnose(source: string) {
  return compileSource(source).diagnostics.map((d) => ({
    at: `${d.span.start.line}:${d.span.start.column}`,
    code: d.code,
    message: d.message,
    notes: (d.related ?? []).map((r) => r.message),
  }));
}

describe('a failed expression poisons what depends on it', () => {
  it('a let whose stdlib def call fails gives one error, with its note, and none at the objective', () => {
    const found = diagnose('input Z : [n, d]\nlet s = spectrum(Z)\nlet spread = 0.5*ortho(s)\nminimize spread');
    expect(found).toEqual([
      {
        at: '3:18',
        code: 'shape-mismatch',
        message: 'ortho expects matrix[_, _], got vector[d] (from s)',
        notes: ['in the body of ortho: corr expects matrix[_, _], got vector[d] (from s)'],
      },
    ]);
  });

  const ONE_ERROR: [string, string, string][] = [
    ['a failed operator in a let used later', 'let a = Z @ Z\nminimize a', '1:9'],
    ['a failed let read inside a def body', 'let s = spectrum(Z)\nlet bad = ortho(s)\ndef f(x) = x + bad\nminimize f(1)', '2:11'],
    ['an error in nested user defs', 'def g(x) = ortho(x)\ndef f(x) = g(x) * 2\nlet a = f(spectrum(Z))\nminimize a', '3:9'],
    ['a time reference whose declaration failed', 'input Z_t : [n, d]\ninput Z_t+1 : [n]\nminimize Z_t+1 @ Z_t+1', '2:7'],
    ['an input declared after its first use', 'let a = sum(Z)\ninput Z : [n]\nminimize a + Z @ Z', '2:7'],
    ['a let defined twice', 'let a = 1\nlet a = spectrum(Z)\nminimize a', '2:5'],
    ['an input defined twice, and a param of its second shape', 'input Z : [n, d]\ninput Z : [n, k]\nparam w : [k]\nsum(Z @ w)', '2:7'],
    ['a let read in its own value', 'let a = sum(a)\nminimize a', '1:5'],
    ['a param of a dimension no input has', 'param w : [k]\nminimize sum(Z @ w)', '1:12'],
    ['a call of a def defined twice', 'def f(x) = ortho(x)\ndef f(x) = balance(x)\nminimize f(spectrum(Z))', '2:5'],
    ['a call of a def whose name a let also declares', 'let f = sum(Z)\ndef f(x) = balance(x)\nminimize f(spectrum(Z))', '2:5'],
  ];
  for (const [title, source, at] of ONE_ERROR) {
    it(`${title}: one error, at the failed statement`, () => {
      expect(diagnose(source).map((d) => d.at)).toEqual([at]);
    });
  }

  const INDEPENDENT: [string, string, string[]][] = [
    ['independent failed lets and an independent term', 'let a = ortho(spectrum(Z))\nlet b = nosuch(Z)\nminimize a + b + sum(Z @ Z)', ['1:9', '2:9', '3:22']],
    ['two bad arguments of a def', 'consistent(nosuch(Z), frob(Z))', ['1:12', '1:23']],
    ['a def defined twice and a bad argument of its call', 'def f(x) = sum(x)\ndef f(x) = max(x)\nminimize f(nosuch(Z))', ['2:5', '3:12']],
    ['a bad argument and an unknown keyword of a def', 'variance(nosuch(Z), gama=2)', ['1:10', '1:21']],
    ['a wrong arity and bad arguments of a primitive', 'sum(nosuch(Z), frob(Z))', ['1:1', '1:5', '1:16']],
    ['a let read before it is defined, and its bad value', 'let b = sum(a)\nlet a = nosuch(Z)\nminimize b', ['2:5', '2:9']],
    ['a recursive def, reported once at the def, and an independent error', 'def f(x) = f(x)\nlet a = f(Z)\nminimize a + nosuch(Z)', ['1:5', '3:14']],
    ['a mutual recursion, a bad argument of a call into it and an independent error', 'def f(x) = g(x)\ndef g(x) = f(x)\nlet a = f(nosuch(Z)) + g(Z)\nminimize a + sum(Z @ Z)', ['1:5', '3:11', '4:18']],
    // checkDeclarations sees only the user's defs: a cycle through the stdlib is reported at the call.
    ['a cycle through a stdlib def (and the shadowing warning)', 'def cka(A, B) = consistent(A, B)\nminimize cka(Z, Z)', ['1:5', '2:10']],
  ];
  for (const [title, source, at] of INDEPENDENT) {
    it(`${title}: every one reported`, () => {
      expect(diagnose(source).map((d) => d.at)).toEqual(at);
    });
  }
});

/** A let's value read where a scalar is expected, through a function of the let's type. */
const AS_SCALAR: Record<LetType, (name: string) => string> = {
  S: (x) => x,
  Vd: (x) => `max(${x})`,
  Mnd: (x) => `ortho(${x})`,
  Mdd: (x) => `trace(${x})`,
};
/** A scalar lifted to each type, so that a let of one type can depend on a let of another. */
const LIFT: Record<LetType, (s: string) => string> = {
  S: (s) => s,
  Vd: (s) => `(v * ${s})`,
  Mnd: (s) => `(Z * ${s})`,
  Mdd: (s) => `(cov(Z) * ${s})`,
};
type LetType = Exclude<Type, 'Mnn'>;

/** Replacements of one read of Z or W that make the let fail (the wrong shape only most of the time). */
const INJECTIONS = ['nosuch(Z)', 'cov', 'spectrum(Z)', 'offdiag(spectrum(Z))'];

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
/** A read of an earlier let (as a fraction of their count), directly or through the def that reads it. */
const arbitraryRead = fc.record({ which: fraction, viaDef: fc.boolean() });

const arbitraryLet = fc.record({
  type: fc.constantFrom<LetType>('S', 'Vd', 'Mnd', 'Mdd'),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  reads: fc.array(arbitraryRead, { maxLength: 2 }),
});

const arbitraryProgram = fc
  .record({
    lets: fc.array(arbitraryLet, { minLength: 2, maxLength: 4 }),
    objective: fc.array(arbitraryRead, { maxLength: 2 }),
    failing: fraction,
    viaDef: fc.boolean(),
    injection: fc.constantFrom(...INJECTIONS),
    at: fc.nat(),
  })
  .map(({ lets, objective, failing, viaDef, injection, at }) => {
    // Let i is followed by `def via_i(x)`, a def whose body reads it.
    const scalar = (i: number, throughDef: boolean) => (throughDef ? `via${i}(1)` : AS_SCALAR[lets[i].type](`a${i}`));
    const statements = lets.map(({ type, seed, reads }, i) => {
      const used = i === 0 ? [] : reads.map(({ which, viaDef }) => LIFT[type](scalar(Math.floor(which * i), viaDef)));
      return `let a${i} = ${[randomExpression(type, seed, 2), ...used].join(' + ')}\ndef via${i}(x) = x * ${scalar(i, false)}`;
    });
    const index = Math.floor(failing * lets.length);
    // The objective always reads the failing let, so something depends on it.
    const read = [scalar(index, viaDef), ...objective.map(({ which, viaDef }) => scalar(Math.floor(which * lets.length), viaDef))];
    const minimize = `minimize ${read.join(' + ')}`;
    const reads = [...statements[index].matchAll(/\b[ZW]\b/g)];
    const broken = [...statements];
    if (reads.length > 0) {
      const { index: offset = 0 } = reads[at % reads.length];
      broken[index] = statements[index].slice(0, offset) + injection + statements[index].slice(offset + 1);
    }
    const header = `input Z : [n, d]\n${PARAM_HEADER}`;
    return {
      wellFormed: header + [...statements, minimize].join('\n'),
      broken: header + [...broken, minimize].join('\n'),
      // The failed let with what it depends on, and an objective that depends on nothing.
      alone: header + [...broken.slice(0, index + 1), 'minimize 0'].join('\n'),
      injected: reads.length > 0,
    };
  });

describe('one failed let among well-formed statements', () => {
  it('the file reports exactly what the let reports checked alone, however much depends on it', () => {
    fc.assert(
      fc.property(arbitraryProgram, ({ wellFormed, broken, alone, injected }) => {
        expect(compileSource(wellFormed).diagnostics).toEqual([]);
        const own = compileSource(alone).diagnostics;
        fc.pre(injected && own.length > 0);
        expect(compileSource(broken).diagnostics).toEqual(own);
      }),
      { numRuns: 150 },
    );
  });
});
