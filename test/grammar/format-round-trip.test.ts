import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../../grammar/format.ts';
import { parse } from '../../grammar/parse.ts';
import { arbitrarySourceFile, commentOrder } from '../helpers/arbitrary-source-file.ts';
import { stripSpans } from '../helpers/strip-spans.ts';

describe('format and parse round-trip on random trees', () => {
  it('parse(format(ast)) is ast, comments included, and format is idempotent', () => {
    fc.assert(
      fc.property(arbitrarySourceFile, (ast) => {
        const text = format(ast);
        const back = parse(text);
        expect(back.diagnostics, text).toEqual([]);
        expect(stripSpans(back.ast.statements)).toEqual(stripSpans(ast.statements));
        expect(commentOrder(back.ast)).toEqual(commentOrder(ast));
        expect(format(back.ast)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });
});
