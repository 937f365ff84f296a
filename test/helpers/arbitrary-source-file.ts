import fc from 'fast-check';
import type { Argument, Comment, Dim, Expr, NameRef, NumberLiteral, Param, SourceFile, Statement, TimeRef } from '../../grammar/ast.ts';
import type { Span } from '../../grammar/span.ts';

/**
 * Random DFL syntax trees covering every construct, for round-trip properties. Spans inside
 * statements are placeholders; `layout` gives statements and comments consistent line spans,
 * since that is how the formatter decides where each comment goes.
 */

const NOWHERE: Span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
const KEYWORDS = new Set(['input', 'def', 'let', 'minimize']);

export const arbitraryName = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,5}$/)
  .filter((name) => !KEYWORDS.has(name) && !name.endsWith('_t'));

/** Any identifier can name a stream, keywords and `_t` endings included (`let_t`, `Z_t_t+1`). */
const arbitraryStream = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,4}$/);

export const arbitraryTimeRef: fc.Arbitrary<TimeRef> = fc.record({
  kind: fc.constant('timeref' as const),
  stream: arbitraryStream,
  offset: fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -100_000, max: 100_000 })),
  span: fc.constant(NOWHERE),
});

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));

/** Spellings as users write them: `2`, `0.50`, `.25`, `1e-3`, `2.5E+4`. */
const arbitraryNumberText = fc.oneof(
  digits(1, 4),
  fc.tuple(digits(1, 3), digits(1, 3)).map(([a, b]) => `${a}.${b}`),
  digits(1, 3).map((b) => `.${b}`),
  fc
    .tuple(fc.oneof(digits(1, 2), fc.tuple(digits(1, 2), digits(1, 2)).map(([a, b]) => `${a}.${b}`)), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 2))
    .map((parts) => parts.join('')),
);

const literal = (raw: string): NumberLiteral => ({ kind: 'number', value: Number(raw), raw, span: NOWHERE });
export const arbitraryNumber: fc.Arbitrary<NumberLiteral> = arbitraryNumberText.map(literal);

const nameRef = (name: string): NameRef => ({ kind: 'name', name, span: NOWHERE });

const { expr } = fc.letrec<{ expr: Expr; call: Expr; argument: Argument }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbitraryNumber,
    arbitraryName.map(nameRef),
    arbitraryTimeRef,
    tie('expr').map((operand): Expr => ({ kind: 'unary', op: '-', operand, span: NOWHERE })),
    fc
      .tuple(fc.constantFrom('+', '-', '*', '/', '@', '^' as const), tie('expr'), tie('expr'))
      .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, span: NOWHERE })),
    tie('call'),
  ),
  call: fc
    .tuple(arbitraryName, fc.array(tie('expr'), { maxLength: 3 }), fc.array(fc.tuple(arbitraryName, tie('expr')), { maxLength: 2 }))
    .filter(([, positional, keyword]) => positional.length + keyword.length > 0)
    .map(([callee, positional, keyword]): Expr => ({
      kind: 'call',
      callee,
      calleeSpan: NOWHERE,
      args: [
        ...positional.map((value) => ({ value, span: NOWHERE })),
        ...keyword.map(([name, value]) => ({ name, nameSpan: NOWHERE, value, span: NOWHERE })),
      ],
      span: NOWHERE,
    })),
  argument: tie('expr').map((value) => ({ value, span: NOWHERE })),
}));
export const arbitraryExpr = expr;

const arbitraryDim: fc.Arbitrary<Dim> = fc.oneof(
  arbitraryName.map((name): Dim => ({ kind: 'symbol', name, span: NOWHERE })),
  fc.integer({ min: 1, max: 100_000 }).map((value): Dim => ({ kind: 'int', value, span: NOWHERE })),
);

const arbitraryParam: fc.Arbitrary<Param> = fc
  .tuple(arbitraryName, fc.option(fc.tuple(fc.boolean(), arbitraryNumberText)))
  .map(([name, given]) => (given === null ? { name, span: NOWHERE } : { name, span: NOWHERE, default: literal((given[0] ? '-' : '') + given[1]) }));

const declaration: fc.Arbitrary<Statement> = fc.oneof(
  fc
    .tuple(fc.array(fc.oneof(arbitraryName.map(nameRef), arbitraryTimeRef), { minLength: 1, maxLength: 3 }), arbitraryDim, arbitraryDim)
    .map(([names, a, b]): Statement => ({ kind: 'input', names, shape: [a, b], span: NOWHERE })),
  fc
    .tuple(arbitraryName, fc.array(arbitraryParam, { minLength: 1, maxLength: 3 }), expr)
    .map(([name, params, body]): Statement => ({ kind: 'def', name, nameSpan: NOWHERE, params, body, span: NOWHERE })),
  fc.tuple(arbitraryName, expr).map(([name, value]): Statement => ({ kind: 'let', name, nameSpan: NOWHERE, value, span: NOWHERE })),
  expr.map((value): Statement => ({ kind: 'minimize', value, span: NOWHERE })),
);

const arbitraryComment = fc.stringMatching(/^##?[ -~]{0,20}$/).map((text) => text.trimEnd());

interface Item {
  readonly statement: Statement;
  readonly leading: readonly string[];
  readonly trailing: string | null;
  readonly blankBefore: boolean;
}

const item = (statement: fc.Arbitrary<Statement>): fc.Arbitrary<Item> =>
  fc.record({
    statement,
    leading: fc.array(arbitraryComment, { maxLength: 2 }),
    trailing: fc.option(arbitraryComment, { freq: 3 }),
    blankBefore: fc.boolean(),
  });

const at = (line: number, column: number): Span['start'] => ({ line, column, offset: line * 10_000 + column });

/** Puts each comment and statement on its own line (trailing comments beside their statement). */
function layout(items: readonly Item[], atEnd: readonly string[]): SourceFile {
  let line = 1;
  const statements: Statement[] = [];
  const comments: Comment[] = [];
  const comment = (text: string, where: number, column = 1) =>
    comments.push({ text, span: { start: at(where, column), end: at(where, column + text.length) } });
  for (const { statement, leading, trailing, blankBefore } of items) {
    if (blankBefore) line++;
    for (const text of leading) comment(text, line++);
    statements.push({ ...statement, span: { start: at(line, 1), end: at(line, 5000) } });
    if (trailing !== null) comment(trailing, line, 5001);
    line++;
  }
  for (const text of atEnd) comment(text, line++);
  return { kind: 'file', statements, comments, span: { start: at(1, 1), end: at(line, 1) } };
}

/** A whole file: declarations and `minimize`s, maybe a final bare expression, comments anywhere. */
export const arbitrarySourceFile: fc.Arbitrary<SourceFile> = fc
  .tuple(
    fc.array(item(declaration), { maxLength: 4 }),
    fc.option(item(expr.map((value): Statement => ({ kind: 'expr', value, span: NOWHERE })))),
    fc.array(arbitraryComment, { maxLength: 2 }),
  )
  .map(([declarations, last, atEnd]) => layout(last === null ? declarations : [...declarations, last], atEnd));

/** The comment texts in the order the formatter prints them. */
export function commentOrder(file: SourceFile): string[] {
  return [...file.comments].sort((a, b) => a.span.start.offset - b.span.start.offset).map((c) => c.text);
}
