import type { DefDecl, Expr, SourceFile, Statement } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import type { Span } from '../../grammar/span.ts';
import { suggest } from '../../grammar/suggest.ts';
import { timeRefName } from './input-names.ts';
import type { Prelude } from './prelude.ts';
import { PRIMITIVES } from '../surface/index.ts';

/** Every call made in an expression, in source order. */
export function callsIn(e: Expr): { callee: string; span: Span }[] {
  switch (e.kind) {
    case 'number':
    case 'name':
    case 'timeref':
      return [];
    case 'unary':
      return callsIn(e.operand);
    case 'binary':
      return [...callsIn(e.left), ...callsIn(e.right)];
    case 'call':
      return [{ callee: e.callee, span: e.calleeSpan }, ...e.args.flatMap((a) => callsIn(a.value))];
  }
}

/** The names a statement declares (an input statement may declare several). */
export function declaredNames(statement: Statement): { name: string; span: Span }[] {
  switch (statement.kind) {
    case 'input':
      return statement.names.map((ref) => ({
        name: ref.kind === 'name' ? ref.name : timeRefName(ref.stream, ref.offset),
        span: ref.span,
      }));
    case 'let':
    case 'def':
    case 'param':
      return [{ name: statement.name, span: statement.nameSpan }];
    default:
      return [];
  }
}

/**
 * File-level rules that need no shapes: one objective, no name declared twice, no def that
 * redefines a primitive or calls itself, and no call to an unknown function in a def nobody calls
 * (called defs are checked, with shapes, at each call).
 */
export function checkDeclarations(file: SourceFile, prelude: Prelude): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, span: Span, related?: Diagnostic['related']) =>
    diagnostics.push({ severity: 'error', code, message, span, ...(related ? { related } : {}) });

  const seen = new Map<string, Span>();
  for (const statement of file.statements) {
    for (const { name, span } of declaredNames(statement)) {
      const first = seen.get(name);
      if (first !== undefined) {
        error('duplicate-definition', `'${name}' is already defined`, span, [{ message: `'${name}' first defined here`, span: first }]);
      } else {
        seen.set(name, span);
      }
    }
    if (statement.kind === 'def') checkDefHead(statement);
  }

  function checkDefHead(def: DefDecl): void {
    if (PRIMITIVES.has(def.name)) {
      error('redefines-primitive', `'${def.name}' is a built-in primitive and cannot be redefined`, def.nameSpan);
    } else if (prelude.defs.has(def.name)) {
      diagnostics.push({
        severity: 'warning',
        code: 'shadows-stdlib',
        message: `def '${def.name}' shadows the stdlib def of the same name`,
        span: def.nameSpan,
      });
    }
    const params = new Set<string>();
    for (const p of def.params) {
      if (params.has(p.name)) error('duplicate-definition', `parameter '${p.name}' appears twice in ${def.name}`, p.span);
      params.add(p.name);
    }
    const firstDefault = def.params.findIndex((p) => p.default !== undefined);
    const laterRequired = firstDefault < 0 ? undefined : def.params.slice(firstDefault).find((p) => p.default === undefined);
    if (laterRequired !== undefined) {
      error('parameter-order', `parameter '${laterRequired.name}' has no default but follows one that has`, laterRequired.span);
    }
  }

  const objectives = file.statements.filter((s) => s.kind === 'minimize' || s.kind === 'expr');
  if (objectives.length === 0) {
    error('no-objective', 'the file has no objective: end it with an expression or a `minimize` statement', file.span);
  }
  for (const extra of objectives.slice(1)) {
    error('multiple-objectives', 'a file has exactly one objective, and this is a second one', extra.span, [
      { message: 'the first objective', span: objectives[0].span },
    ]);
  }
  const last = file.statements[file.statements.length - 1];
  for (const s of file.statements) {
    if (s.kind === 'expr' && s !== last) {
      error('misplaced-expression', 'a bare expression is the objective and must be the last statement', s.span);
    }
  }

  checkDefGraph(file, prelude, error);
  return diagnostics;
}

type Report = (code: string, message: string, span: Span) => void;

function checkDefGraph(file: SourceFile, prelude: Prelude, error: Report): void {
  const defs = file.statements.filter((s): s is DefDecl => s.kind === 'def');
  const byName = new Map(defs.map((d) => [d.name, d] as const));
  const order = new Map(defs.map((d, i) => [d.name, i] as const));

  // Recursion: a cycle in the graph of user defs, reported once at the def where it is found.
  const state = new Map<string, 'active' | 'done'>();
  const reported = new Set<string>();
  const visit = (def: DefDecl, path: string[]): void => {
    state.set(def.name, 'active');
    for (const { callee } of callsIn(def.body)) {
      const target = byName.get(callee);
      if (target === undefined || def.params.some((p) => p.name === callee)) continue;
      if (state.get(callee) === 'active') {
        const cycle = [...path.slice(path.indexOf(callee)), callee];
        if (!reported.has(callee)) {
          reported.add(callee);
          const head = byName.get(callee)!;
          error('recursion', `def '${callee}' calls itself (${cycle.join(' -> ')}); DFL defs cannot be recursive`, head.nameSpan);
        }
      } else if (state.get(callee) !== 'done') {
        visit(target, [...path, callee]);
      }
    }
    state.set(def.name, 'done');
  };
  for (const def of defs) if (!state.has(def.name)) visit(def, [def.name]);

  // A def may only call defs written above it (cycles are reported above instead).
  for (const def of defs) {
    for (const { callee, span } of callsIn(def.body)) {
      const at = order.get(callee);
      if (at !== undefined && at > order.get(def.name)! && !reported.has(callee) && !reported.has(def.name)) {
        error('use-before-definition', `'${callee}' is used before its definition (line ${byName.get(callee)!.span.start.line})`, span);
      }
    }
  }

  // Defs nobody calls are never expanded, so check the functions they call here.
  const called = new Set<string>();
  const roots = file.statements.flatMap((s) => (s.kind === 'let' || s.kind === 'minimize' || s.kind === 'expr' ? callsIn(s.value) : []));
  const queue = roots.map((c) => c.callee);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (called.has(name)) continue;
    called.add(name);
    const def = byName.get(name);
    if (def !== undefined) queue.push(...callsIn(def.body).map((c) => c.callee));
  }
  const known = [...PRIMITIVES.keys(), ...prelude.defs.keys(), ...byName.keys()];
  for (const def of defs) {
    if (called.has(def.name)) continue;
    for (const { callee, span } of callsIn(def.body)) {
      if (PRIMITIVES.has(callee) || prelude.defs.has(callee) || byName.has(callee)) continue;
      const hint = suggest(callee, known);
      error('unknown-function', `unknown function '${callee}'${hint ? `; did you mean '${hint}'?` : ''}`, span);
    }
  }
}
