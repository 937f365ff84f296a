import type { Binary, Comment, DefDecl, Dim, Expr, NumberLiteral, Param, SourceFile, Statement, TimeRef } from './ast.ts';
import type { Span } from './span.ts';

/**
 * AST -> canonical DFL. One statement per line; spaces around `+ -` and the `=` of let and def;
 * `* / @` tight inside a sum and spaced elsewhere (so the card's `... + 0.5*ortho(Z) + ...` is
 * canonical, and so is `x / (n * (n - 1))`); `^` always tight; parentheses only where precedence
 * or associativity needs them; numbers as the user spelled them.
 */

/** Binding strength, loosest first, as in the parser. */
const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2, '@': 2, unary: 3, '^': 4, atom: 5 } as const;

function precedence(expr: Expr): number {
  if (expr.kind === 'binary') return PRECEDENCE[expr.op];
  // A negative literal (a def default, or a tree built by a pass) prints with its sign, like a unary.
  if (expr.kind === 'unary' || (expr.kind === 'number' && expr.value < 0)) return PRECEDENCE.unary;
  return PRECEDENCE.atom;
}

export function formatNumber(literal: NumberLiteral): string {
  if (literal.raw !== undefined && Number(literal.raw) === literal.value) return literal.raw;
  return String(literal.value);
}

export function formatTimeRef(ref: Pick<TimeRef, 'stream' | 'offset'>): string {
  const step = ref.offset === 0 ? '' : ref.offset > 0 ? `+${ref.offset}` : String(ref.offset);
  return `${ref.stream}_t${step}`;
}

/**
 * `inSum`: the expression is an operand of `+` or `-` (through `* / @`, not through parentheses or
 * calls). Multiplicative operators are then written tight so that the sum's terms stand out,
 * `a + 0.5*b`, and spaced otherwise, `x / (n * (n - 1))`: the rule gofmt uses for Go.
 */
export function formatExpr(expr: Expr, inSum = false): string {
  switch (expr.kind) {
    case 'number':
      return formatNumber(expr);
    case 'name':
      return expr.name;
    case 'timeref':
      return formatTimeRef(expr);
    case 'call':
      return `${expr.callee}(${expr.args.map((a) => (a.name === undefined ? '' : `${a.name}=`) + formatExpr(a.value)).join(', ')})`;
    case 'unary':
      // The operand is parsed at unary level, so only `+ - * / @` below it need parentheses.
      return `-${operand(expr.operand, precedence(expr.operand) < PRECEDENCE.unary, false)}`;
    case 'binary':
      return expr.op === '^' ? formatPower(expr) : formatChain(expr, inSum);
  }
}

/** `^` groups to the right and takes a unary exponent (`2^-1`); it is always written tight. */
function formatPower(expr: Binary): string {
  const left = operand(expr.left, precedence(expr.left) <= PRECEDENCE['^'], false);
  return `${left}^${operand(expr.right, precedence(expr.right) < PRECEDENCE.unary, false)}`;
}

/**
 * A left-associative run like `a + b - c + ...`, printed in a loop rather than by recursion down
 * its left spine, so that a sum of thousands of terms cannot exhaust the stack.
 */
function formatChain(expr: Binary, inSum: boolean): string {
  const own = PRECEDENCE[expr.op];
  const additive = own === PRECEDENCE['+'];
  const operandsInSum = additive || inSum;
  const spaced = additive || !inSum;
  const links: Binary[] = [];
  let first: Expr = expr;
  for (; first.kind === 'binary' && first.op !== '^' && PRECEDENCE[first.op] === own; first = first.left) links.push(first);
  let text = operand(first, precedence(first) < own, operandsInSum);
  for (const link of links.reverse()) {
    const right = operand(link.right, precedence(link.right) <= own, operandsInSum);
    text += spaced ? ` ${link.op} ${right}` : `${link.op}${right}`;
  }
  return text;
}

/** Parentheses start afresh: what is inside them is not part of the enclosing sum. */
function operand(expr: Expr, parens: boolean, inSum: boolean): string {
  return parens ? `(${formatExpr(expr)})` : formatExpr(expr, inSum);
}

function formatDim(dim: Dim): string {
  return dim.kind === 'symbol' ? dim.name : String(dim.value);
}

/** `A`, `lambda=0.005`. */
export const formatParam = (p: Param): string => (p.default === undefined ? p.name : `${p.name}=${formatNumber(p.default)}`);

/** A def's name and parameters, `barlow(A, B, lambda=0.005)`: how docs and editors show its signature. */
export function formatDefHead(def: Pick<DefDecl, 'name' | 'params'>): string {
  return `${def.name}(${def.params.map(formatParam).join(', ')})`;
}

export function formatStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'input': {
      const names = statement.names.map((n) => (n.kind === 'name' ? n.name : formatTimeRef(n)));
      return `input ${names.join(', ')} : [${statement.shape.map(formatDim).join(', ')}]`;
    }
    case 'param':
      return `param ${statement.name} : [${statement.shape.map(formatDim).join(', ')}]${statement.init === undefined ? '' : ` = ${statement.init}`}`;
    case 'def':
      return `def ${formatDefHead(statement)} = ${formatExpr(statement.body)}`;
    case 'let':
      return `let ${statement.name} = ${formatExpr(statement.value)}`;
    case 'minimize':
      return `minimize ${formatExpr(statement.value)}`;
    case 'expr':
      return formatExpr(statement.value);
  }
}

/** One output line and the source lines it came from, for keeping blank lines. */
interface Line {
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

const inside = (span: Span, offset: number): boolean => span.start.offset <= offset && offset < span.end.offset;

/**
 * Places each comment: inside a statement it moves above it (the statement is printed on one
 * line); on the line where a statement ends it trails that statement; otherwise it goes above the
 * next statement, or at the end of the file.
 */
function layout(file: SourceFile): Line[] {
  const leading = file.statements.map((): Comment[] => []);
  const trailing = new Map<number, Comment>();
  const atEnd: Comment[] = [];
  const comments = [...file.comments].sort((a, b) => a.span.start.offset - b.span.start.offset);
  for (const comment of comments) {
    const at = comment.span.start.offset;
    const within = file.statements.findIndex((s) => inside(s.span, at));
    const next = file.statements.findIndex((s) => s.span.start.offset > at);
    const before = (next === -1 ? file.statements.length : next) - 1;
    const prev = file.statements[before];
    if (within !== -1) leading[within].push(comment);
    else if (prev !== undefined && prev.span.end.line === comment.span.start.line && !trailing.has(before)) trailing.set(before, comment);
    else if (next !== -1) leading[next].push(comment);
    else atEnd.push(comment);
  }
  const lines: Line[] = [];
  const commentLine = (c: Comment): Line => ({ text: c.text.trimEnd(), from: c.span.start.line, to: c.span.end.line });
  file.statements.forEach((statement, i) => {
    // A comment moved out of a statement counts as sitting on the statement's first line.
    const first = statement.span.start.line;
    lines.push(...leading[i].map((c) => ({ ...commentLine(c), ...(c.span.start.line > first ? { from: first, to: first } : {}) })));
    const tail = trailing.get(i);
    const text = formatStatement(statement) + (tail === undefined ? '' : ` ${tail.text.trimEnd()}`);
    lines.push({ text, from: statement.span.start.line, to: statement.span.end.line });
  });
  lines.push(...atEnd.map(commentLine));
  return lines;
}

/** The canonical text of `file`: idempotent, and it parses back to the same tree. */
export function format(file: SourceFile): string {
  const out: string[] = [];
  let previous: Line | undefined;
  for (const line of layout(file)) {
    // Blank lines between statements survive, collapsed to one.
    if (previous !== undefined && line.from > previous.to + 1) out.push('');
    out.push(line.text);
    previous = line;
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
