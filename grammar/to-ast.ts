import type { CstElement, CstNode, IToken } from 'chevrotain';
import { PARAM_INITS, type Argument, type BinaryOp, type Dim, type Expr, type NumberLiteral, type Param, type ParamInit, type ShapeDims, type Statement, type TimeRef } from './ast.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { LineIndex } from './line-index.ts';
import type { Span } from './span.ts';
import { tokenEnd } from './tokens.ts';

/**
 * CST -> AST. A statement that error recovery patched (a skipped or invented token) is dropped
 * rather than guessed at: its syntax error is already reported, and later phases only run on
 * files without errors. Checks that need the token's spelling (`Z_t+0`, dimension literals) are
 * made here because the AST no longer has it.
 */

/** Thrown when a statement's CST is incomplete; caught per statement. */
class Incomplete extends Error {}

function isToken(element: CstElement): element is IToken {
  return 'image' in element;
}

function checkedNode(element: CstElement | undefined): CstNode {
  if (element === undefined || isToken(element) || element.recoveredNode === true) throw new Incomplete();
  return element;
}

function checkedToken(element: CstElement | undefined): IToken {
  if (element === undefined || !isToken(element) || element.isInsertedInRecovery === true || Number.isNaN(element.startOffset)) {
    throw new Incomplete();
  }
  return element;
}

const child = (parent: CstNode, label: string, i = 0): CstNode => checkedNode(parent.children[label]?.[i]);
const children = (parent: CstNode, label: string): CstNode[] => (parent.children[label] ?? []).map(checkedNode);
const tokenOf = (parent: CstNode, label: string, i = 0): IToken => checkedToken(parent.children[label]?.[i]);
const tokensOf = (parent: CstNode, label: string): IToken[] => (parent.children[label] ?? []).map(checkedToken);
const maybeToken = (parent: CstNode, label: string): IToken | undefined =>
  parent.children[label] === undefined ? undefined : tokenOf(parent, label);

const TIME_REF = /^(.*)_t(?:([+-])([0-9]+))?$/;

class AstBuilder {
  constructor(
    private readonly lines: LineIndex,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private span(first: IToken, last: IToken = first): Span {
    return this.lines.span(first.startOffset, tokenEnd(last));
  }

  private join(first: Span, last: Span): Span {
    return { start: first.start, end: last.end };
  }

  private error(span: Span, message: string): void {
    this.diagnostics.push({ severity: 'error', code: 'syntax', message, span });
  }

  line(line: CstNode): Statement | undefined {
    try {
      return this.statement(child(line, 'statement'));
    } catch (error) {
      if (!(error instanceof Incomplete)) throw error;
      return undefined;
    }
  }

  private statement(node: CstNode): Statement {
    const [name, inner] = Object.entries(node.children)[0] ?? [];
    if (name === undefined || inner === undefined) throw new Incomplete();
    const cst = checkedNode(inner[0]);
    switch (name) {
      case 'inputDecl':
        return this.inputDecl(cst);
      case 'paramDecl':
        return this.paramDecl(cst);
      case 'defDecl':
        return this.defDecl(cst);
      case 'letDecl': {
        const value = this.expression(child(cst, 'value'));
        const name = tokenOf(cst, 'name');
        return { kind: 'let', name: name.image, nameSpan: this.span(name), value, span: this.join(this.span(tokenOf(cst, 'keyword')), value.span) };
      }
      case 'minimize': {
        const value = this.expression(child(cst, 'value'));
        return { kind: 'minimize', value, span: this.join(this.span(tokenOf(cst, 'keyword')), value.span) };
      }
      case 'expression': {
        const value = this.expression(cst);
        return { kind: 'expr', value, span: value.span };
      }
      default:
        throw new Incomplete();
    }
  }

  private inputDecl(node: CstNode): Statement {
    const names = children(node, 'names').map((n) => {
      const token = tokenOf(n, 'name');
      return token.tokenType.name === 'TimeRef' ? this.timeRef(token) : ({ kind: 'name', name: token.image, span: this.span(token) } as const);
    });
    const shape = child(node, 'shape');
    return { kind: 'input', names, shape: this.shape(shape), span: this.span(tokenOf(node, 'keyword'), tokenOf(shape, 'close')) };
  }

  private paramDecl(node: CstNode): Statement {
    const name = tokenOf(node, 'name');
    const shapeNode = child(node, 'shape');
    const shape = this.shape(shapeNode);
    const initToken = maybeToken(node, 'init');
    const last = initToken ?? tokenOf(shapeNode, 'close');
    let init: ParamInit | undefined;
    if (initToken !== undefined) {
      if ((PARAM_INITS as readonly string[]).includes(initToken.image)) init = initToken.image as ParamInit;
      else this.error(this.span(initToken), `a param is initialised with ${PARAM_INITS.join(' or ')}, found '${initToken.image}'`);
    }
    return {
      kind: 'param',
      name: name.image,
      nameSpan: this.span(name),
      shape,
      ...(init === undefined ? {} : { init }),
      span: this.span(tokenOf(node, 'keyword'), last),
    };
  }

  /** DFL values are scalars, vectors and matrices: a shape has at most two dimensions. */
  private shape(node: CstNode): ShapeDims {
    const dims = children(node, 'dims').map((d) => this.dim(d));
    if (dims.length > 2) {
      this.error(this.join(dims[2].span, dims[dims.length - 1].span), `a shape has at most two dimensions (a scalar [], a vector [k] or a matrix [r, c]), found ${dims.length}`);
      // Reported; the statement is dropped like one that recovery patched.
      throw new Incomplete();
    }
    return dims;
  }

  private dim(node: CstNode): Dim {
    const symbol = maybeToken(node, 'symbol');
    if (symbol !== undefined) return { kind: 'symbol', name: symbol.image, span: this.span(symbol) };
    const size = tokenOf(node, 'size');
    const value = Number(size.image);
    if (!/^[0-9]+$/.test(size.image) || !Number.isSafeInteger(value) || value <= 0) {
      this.error(this.span(size), `a dimension must be a name or a positive integer, found '${size.image}'`);
    }
    return { kind: 'int', value, span: this.span(size) };
  }

  private defDecl(node: CstNode): Statement {
    const name = tokenOf(node, 'name');
    const params = children(node, 'params').map((p) => this.param(p));
    const body = this.expression(child(node, 'body'));
    return {
      kind: 'def',
      name: name.image,
      nameSpan: this.span(name),
      params,
      body,
      span: this.join(this.span(tokenOf(node, 'keyword')), body.span),
    };
  }

  private param(node: CstNode): Param {
    const name = tokenOf(node, 'name');
    const number = maybeToken(node, 'default');
    if (number === undefined) return { name: name.image, span: this.span(name) };
    const minus = maybeToken(node, 'minus');
    const literal = this.number(number, minus);
    return { name: name.image, span: this.join(this.span(name), literal.span), default: literal };
  }

  private number(token: IToken, minus?: IToken): NumberLiteral {
    const raw = (minus === undefined ? '' : '-') + token.image;
    const value = Number(raw);
    if (!Number.isFinite(value)) this.error(this.span(token), `the number '${token.image}' is too large`);
    return { kind: 'number', value, raw, span: this.span(minus ?? token, token) };
  }

  private timeRef(token: IToken): TimeRef {
    const match = TIME_REF.exec(token.image);
    if (match === null) throw new Incomplete();
    const [, stream, sign, digits] = match;
    const offset = digits === undefined ? 0 : Number(sign + digits);
    const span = this.span(token);
    if (digits !== undefined && offset === 0) {
      this.error(span, `a time reference with no offset is written '${stream}_t', not '${token.image}'`);
    } else if (!Number.isSafeInteger(offset)) {
      this.error(span, `the time offset in '${token.image}' is too large`);
    }
    return { kind: 'timeref', stream, offset, span };
  }

  /** Left-folds `a + b - c` (and the `* / @` level) into nested binaries. */
  private expression(node: CstNode): Expr {
    const operands = children(node, 'operands');
    const operators = tokensOf(node, 'operators');
    if (operands.length !== operators.length + 1) throw new Incomplete();
    // `expression` nodes hold `multiplicative` operands, which hold `unary` ones.
    const level = node.name === 'expression' ? (n: CstNode) => this.expression(n) : (n: CstNode) => this.unary(n);
    let left = level(operands[0]);
    operators.forEach((op, i) => {
      const right = level(operands[i + 1]);
      left = { kind: 'binary', op: op.image as BinaryOp, left, right, span: this.join(left.span, right.span) };
    });
    return left;
  }

  private unary(node: CstNode): Expr {
    const minus = maybeToken(node, 'minus');
    if (minus === undefined) return this.power(child(node, 'power'));
    const operand = this.unary(child(node, 'operand'));
    return { kind: 'unary', op: '-', operand, span: this.join(this.span(minus), operand.span) };
  }

  private power(node: CstNode): Expr {
    const base = this.primary(child(node, 'base'));
    if (node.children.exponent === undefined) return base;
    const exponent = this.unary(child(node, 'exponent'));
    return { kind: 'binary', op: '^', left: base, right: exponent, span: this.join(base.span, exponent.span) };
  }

  private primary(node: CstNode): Expr {
    const number = maybeToken(node, 'number');
    if (number !== undefined) return this.number(number);
    const timeref = maybeToken(node, 'timeref');
    if (timeref !== undefined) return this.timeRef(timeref);
    if (node.children.nameOrCall !== undefined) return this.nameOrCall(child(node, 'nameOrCall'));
    const inner = this.expression(child(node, 'inner'));
    // Parentheses widen the span: `(a + b)` is what a reader sees as the operand.
    return { ...inner, span: this.span(tokenOf(node, 'open'), tokenOf(node, 'close')) };
  }

  private nameOrCall(node: CstNode): Expr {
    const name = tokenOf(node, 'name');
    if (node.children.open === undefined) return { kind: 'name', name: name.image, span: this.span(name) };
    const args = children(node, 'args').map((a) => this.argument(a));
    return {
      kind: 'call',
      callee: name.image,
      calleeSpan: this.span(name),
      args,
      span: this.span(name, tokenOf(node, 'close')),
    };
  }

  private argument(node: CstNode): Argument {
    const value = this.expression(child(node, 'value'));
    const keyword = maybeToken(node, 'keyword');
    if (keyword === undefined) return { value, span: value.span };
    const nameSpan = this.span(keyword);
    return { name: keyword.image, nameSpan, value, span: this.join(nameSpan, value.span) };
  }
}

/**
 * The statement of one `line` CST, or undefined when recovery had to patch it; syntax problems
 * found on the way are appended to `diagnostics`.
 */
export function statementFromCst(line: CstNode, lines: LineIndex, diagnostics: Diagnostic[]): Statement | undefined {
  return new AstBuilder(lines, diagnostics).line(line);
}
