import type { Span } from './span.ts';

/**
 * The DFL syntax tree. Every node carries the span of the text it came from; spans are
 * information for diagnostics, never part of a node's meaning (see `stripSpans` in tests).
 */

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  /** The spelling in the source (`0.50`, `1e-3`), so the formatter keeps it; absent on built nodes. */
  readonly raw?: string;
  readonly span: Span;
}

export interface NameRef {
  readonly kind: 'name';
  readonly name: string;
  readonly span: Span;
}

/** `Z_t`, `Z_t+1`, `H_t-2`: one token naming stream `Z` at relative time step `offset`. */
export interface TimeRef {
  readonly kind: 'timeref';
  /** The part before `_t`, e.g. `Z`. */
  readonly stream: string;
  /** 0 for `Z_t`, 1 for `Z_t+1`, -2 for `Z_t-2`. */
  readonly offset: number;
  readonly span: Span;
}

export interface Unary {
  readonly kind: 'unary';
  readonly op: '-';
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '@' | '^';

export interface Binary {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

export interface Argument {
  /** Present for keyword arguments `name = value`. */
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly value: Expr;
  readonly span: Span;
}

export interface Call {
  readonly kind: 'call';
  readonly callee: string;
  readonly calleeSpan: Span;
  readonly args: readonly Argument[];
  readonly span: Span;
}

export type Expr = NumberLiteral | NameRef | TimeRef | Unary | Binary | Call;

/** A dimension in an input or param shape: symbolic (`n`) or a positive integer. */
export type Dim =
  | { readonly kind: 'symbol'; readonly name: string; readonly span: Span }
  | { readonly kind: 'int'; readonly value: number; readonly span: Span };

/** `[]`, `[k]`, `[n, d]`: a scalar, a vector or a matrix (at most two dimensions). */
export type ShapeDims = readonly Dim[];

export interface InputDecl {
  readonly kind: 'input';
  readonly names: readonly (NameRef | TimeRef)[];
  readonly shape: ShapeDims;
  readonly span: Span;
}

/** How a param's initial value is drawn (see docs/language.md, "Params"). */
export type ParamInit = 'glorot' | 'zeros';
export const PARAM_INITS: readonly ParamInit[] = ['glorot', 'zeros'];

/** `param W : [d, 16] = glorot`: a learnable tensor that training updates with the encoder. */
export interface ParamDecl {
  readonly kind: 'param';
  readonly name: string;
  readonly nameSpan: Span;
  readonly shape: ShapeDims;
  /** Written after `=`; absent means the default (glorot for a matrix, zeros otherwise). */
  readonly init?: ParamInit;
  readonly span: Span;
}

export interface Param {
  readonly name: string;
  readonly span: Span;
  readonly default?: NumberLiteral;
}

export interface DefDecl {
  readonly kind: 'def';
  readonly name: string;
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  readonly body: Expr;
  readonly span: Span;
}

export interface LetDecl {
  readonly kind: 'let';
  readonly name: string;
  readonly nameSpan: Span;
  readonly value: Expr;
  readonly span: Span;
}

export interface Minimize {
  readonly kind: 'minimize';
  readonly value: Expr;
  readonly span: Span;
}

/** A bare expression statement; as the last statement of a file it means `minimize` it. */
export interface ExprStatement {
  readonly kind: 'expr';
  readonly value: Expr;
  readonly span: Span;
}

export type Statement = InputDecl | ParamDecl | DefDecl | LetDecl | Minimize | ExprStatement;

/** A `#` comment; `text` includes the leading `#` (doc comments start with `##`). */
export interface Comment {
  readonly text: string;
  readonly span: Span;
}

export interface SourceFile {
  readonly kind: 'file';
  readonly statements: readonly Statement[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}
