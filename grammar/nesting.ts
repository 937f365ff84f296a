import type { Expr, Statement } from './ast.ts';
import type { Diagnostic } from './diagnostic.ts';

/**
 * The deepest expression nesting dflc accepts. The passes after parsing (name resolution,
 * elaboration, differentiation, the optimiser, printing) walk expressions recursively, and a flat
 * chain of n terms (`sum(Z) + sum(Z) + ...`) nests n deep. Past about 5,000 they ran out of
 * stack; since the elaborator reports every problem of a statement (a frame more per level), a
 * 1,999-deep chain did in a fresh clone's test run. The limit keeps a margin of about two below
 * that: a clear message in place of the crash; longer machine-written objectives split into `let`s.
 */
export const MAX_NESTING = 1_000;

function childrenOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return e.args.map((a) => a.value);
    default:
      return [];
  }
}

/** The nesting depth of an expression (a leaf is 1), walked with an explicit stack. */
export function nestingDepth(root: Expr): number {
  let deepest = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of childrenOf(e)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function expressionOf(s: Statement): Expr | undefined {
  switch (s.kind) {
    case 'def':
      return s.body;
    case 'let':
    case 'minimize':
    case 'expr':
      return s.value;
    default:
      return undefined;
  }
}

/** An error for a statement whose expression nests deeper than MAX_NESTING, else undefined. */
export function nestingDiagnostic(s: Statement): Diagnostic | undefined {
  const e = expressionOf(s);
  if (e === undefined) return undefined;
  const depth = nestingDepth(e);
  if (depth <= MAX_NESTING) return undefined;
  return {
    severity: 'error',
    code: 'too-deep',
    message:
      `this expression nests ${depth.toLocaleString('en-US')} levels deep (a chain of n terms nests about n deep); ` +
      `dflc accepts up to ${MAX_NESTING.toLocaleString('en-US')}: split it into lets, e.g. let a = ... then a + ...`,
    span: s.span,
  };
}
