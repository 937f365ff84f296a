import type { Argument, Call, DefDecl, Expr, NameRef, Param, SourceFile, Statement, TimeRef } from '../../grammar/ast.ts';
import type { Span } from '../../grammar/span.ts';
import { spanHolds } from './positions.ts';

/** A name the cursor is on, and what kind of place it is. */
export type NameAt =
  | { readonly kind: 'callee'; readonly call: Call; readonly span: Span }
  | { readonly kind: 'keyword'; readonly call: Call; readonly arg: Argument; readonly span: Span }
  | { readonly kind: 'reference'; readonly ref: NameRef | TimeRef; readonly span: Span }
  | { readonly kind: 'let'; readonly name: string; readonly span: Span }
  | { readonly kind: 'def'; readonly def: DefDecl; readonly span: Span }
  | { readonly kind: 'param'; readonly def: DefDecl; readonly param: Param; readonly span: Span }
  | { readonly kind: 'input'; readonly ref: NameRef | TimeRef; readonly span: Span };

/** The statement whose text holds `offset`. */
export function statementAt(ast: SourceFile, offset: number): Statement | undefined {
  return ast.statements.find((s) => spanHolds(s.span, offset));
}

/** The expressions whose text holds `offset`, innermost first. */
export function expressionsAt(e: Expr, offset: number): Expr[] {
  if (!spanHolds(e.span, offset)) return [];
  const inner = (() => {
    switch (e.kind) {
      case 'unary':
        return expressionsAt(e.operand, offset);
      case 'binary': {
        const left = expressionsAt(e.left, offset);
        return left.length > 0 ? left : expressionsAt(e.right, offset);
      }
      case 'call':
        for (const arg of e.args) {
          const found = expressionsAt(arg.value, offset);
          if (found.length > 0) return found;
        }
        return [];
      default:
        return [];
    }
  })();
  return [...inner, e];
}

/** The expression a statement is about: a def's body, a let's value, the objective. */
export function statementExpr(statement: Statement): Expr | undefined {
  return statement.kind === 'def' ? statement.body : statement.kind === 'input' || statement.kind === 'param' ? undefined : statement.value;
}

function nameInExpr(e: Expr, offset: number): NameAt | undefined {
  for (const x of expressionsAt(e, offset)) {
    if (x.kind === 'name' || x.kind === 'timeref') return { kind: 'reference', ref: x, span: x.span };
    if (x.kind !== 'call') continue;
    if (spanHolds(x.calleeSpan, offset)) return { kind: 'callee', call: x, span: x.calleeSpan };
    const arg = x.args.find((a) => a.nameSpan !== undefined && spanHolds(a.nameSpan, offset));
    if (arg !== undefined) return { kind: 'keyword', call: x, arg, span: arg.nameSpan! };
  }
  return undefined;
}

/** The name under the cursor at `offset`, if there is one. */
export function nameAt(ast: SourceFile, offset: number): NameAt | undefined {
  const statement = statementAt(ast, offset);
  if (statement === undefined) return undefined;
  switch (statement.kind) {
    case 'input': {
      const ref = statement.names.find((r) => spanHolds(r.span, offset));
      return ref === undefined ? undefined : { kind: 'input', ref, span: ref.span };
    }
    case 'let':
      if (spanHolds(statement.nameSpan, offset)) return { kind: 'let', name: statement.name, span: statement.nameSpan };
      return nameInExpr(statement.value, offset);
    case 'def': {
      if (spanHolds(statement.nameSpan, offset)) return { kind: 'def', def: statement, span: statement.nameSpan };
      const param = statement.params.find((p) => spanHolds(p.span, offset) && offset <= p.span.start.offset + p.name.length);
      if (param !== undefined) return { kind: 'param', def: statement, param, span: paramNameSpan(param) };
      return nameInExpr(statement.body, offset);
    }
    case 'param':
      return undefined;
    default:
      return nameInExpr(statement.value, offset);
  }
}

/** A parameter's span covers its default too (`w=1`); its name is the first part. */
export function paramNameSpan(param: Param): Span {
  const end = param.span.start.offset + param.name.length;
  return {
    start: param.span.start,
    end: { line: param.span.start.line, column: param.span.start.column + param.name.length, offset: end },
  };
}
