import type { Argument, Expr, SourceFile, Statement } from './ast.ts';
import type { Diagnostic } from './diagnostic.ts';

/**
 * Grammar rules that are easier to state on the tree than in the parser: keyword arguments come
 * after positional ones, and a bare expression (the objective) can only end the file.
 */

function error(span: Diagnostic['span'], message: string): Diagnostic {
  return { severity: 'error', code: 'syntax', message, span };
}

function argumentOrder(args: readonly Argument[], out: Diagnostic[]): void {
  const keyword = args.find((a) => a.name !== undefined);
  if (keyword === undefined) return;
  for (const arg of args.slice(args.indexOf(keyword) + 1)) {
    if (arg.name === undefined) {
      out.push(error(arg.span, `a positional argument cannot follow the keyword argument '${keyword.name}'`));
    }
  }
}

function visit(expr: Expr, out: Diagnostic[]): void {
  // An explicit stack: generated or pasted files can nest deeper than the call stack allows.
  const stack: Expr[] = [expr];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.kind === 'binary') stack.push(e.right, e.left);
    else if (e.kind === 'unary') stack.push(e.operand);
    else if (e.kind === 'call') {
      argumentOrder(e.args, out);
      stack.push(...e.args.map((a) => a.value).reverse());
    }
  }
}

function valueOf(statement: Statement): Expr | undefined {
  switch (statement.kind) {
    case 'def':
      return statement.body;
    case 'let':
    case 'minimize':
    case 'expr':
      return statement.value;
    case 'input':
    case 'param':
      return undefined;
  }
}

/**
 * `placement` adds the rule about bare expressions; parse.ts asks for it only when the file had
 * no other errors, since a dropped character or statement easily leaves two expressions behind.
 */
export function checkSyntax(file: SourceFile, placement: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  file.statements.forEach((statement, i) => {
    const value = valueOf(statement);
    if (value !== undefined) visit(value, out);
    if (placement && statement.kind === 'expr' && i < file.statements.length - 1) {
      out.push(
        error(
          statement.span,
          "only the last statement of a file can be a bare expression (it is the objective); did you mean 'let NAME = ...'?",
        ),
      );
    }
  });
  return out;
}
