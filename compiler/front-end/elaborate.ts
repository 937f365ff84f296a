import type { Argument, Call, DefDecl, Expr, InputDecl, ParamDecl, ParamInit, SourceFile } from '../../grammar/ast.ts';
import type { Diagnostic, RelatedInformation } from '../../grammar/diagnostic.ts';
import type { Span } from '../../grammar/span.ts';
import { suggest } from '../../grammar/suggest.ts';
import { IrBuilder } from '../ir/builder.ts';
import type { Node, Program, ProgramInput } from '../ir/node.ts';
import { formatShape, type Shape } from '../ir/shape.ts';
import { IMPLICIT_SHAPE, timeRefName } from './input-names.ts';
import { FLOAT64_EPSILON, guardedDivide } from '../surface/guards.ts';
import { PRIMITIVES } from '../surface/index.ts';
import { checkKind, type LowerContext } from '../surface/primitive.ts';

/** A def the elaborator can call: a user def or a stdlib def, with the text it came from. */
export interface DefEntry {
  readonly decl: DefDecl;
  readonly file: string;
  readonly source: string;
  readonly fromStdlib: boolean;
}

/** A value during elaboration: its IR node and the source text it came from, for messages. */
interface Val {
  readonly node: Node;
  readonly origin: string;
  /** Whether `origin` is text the user wrote (so a message inside a def can quote it). */
  readonly fromUser: boolean;
}

/** One level of def expansion: `ortho(Z)` called at `span` in `file`. */
interface Frame {
  readonly def: DefEntry;
  readonly callSpan: Span;
}

interface Scope {
  readonly params: ReadonlyMap<string, Val> | null;
  readonly frames: readonly Frame[];
  /** The file and text the expression being elaborated belongs to. */
  readonly file: string;
  readonly source: string;
}

/** Unwinds elaboration of one statement; the diagnostic is already recorded. */
class Failure extends Error {}

export interface ElaborateOptions {
  readonly fileName: string;
  readonly source: string;
  readonly epsilon?: number;
  /** Told the shape of each expression of the user's own statements, e.g. for an editor's hover. */
  readonly onShape?: ShapeListener;
}

export type ShapeListener = (span: Span, shape: Shape) => void;

export interface Elaboration {
  /** The forward program (one output, `value`), when the file elaborated without errors. */
  readonly program: Program | undefined;
  readonly diagnostics: Diagnostic[];
  /** The objective's top-level additive terms (nodes of `program`), so a run can say which one failed. */
  readonly terms: readonly ObjectiveTerm[];
  /** The file's params, in declaration order; each is also an input of `program`. */
  readonly params: readonly ObjectiveParam[];
}

/**
 * `param W : [d, 16]`: an input of the program whose value the trainer owns (it initialises,
 * updates and saves it); outside training it is bound like any input.
 */
export interface ObjectiveParam {
  readonly name: string;
  /** Numbers, or symbolic dimensions of the program's other inputs. */
  readonly shape: Shape;
  /** As written, or the default: glorot for a matrix, zeros for a vector or scalar. */
  readonly init: ParamInit;
}

export interface ObjectiveTerm {
  /** The term as written, with a leading `-` when it is subtracted. */
  readonly text: string;
  readonly node: Node;
}

/** `a + 0.5*b - c` -> a, 0.5*b, c with their signs. */
function additiveTerms(e: Expr, sign = 1): { expr: Expr; sign: number }[] {
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
    return [...additiveTerms(e.left, sign), ...additiveTerms(e.right, e.op === '-' ? -sign : sign)];
  }
  return [{ expr: e, sign }];
}

const EXPECTED_SCALAR = 'scalar';

/**
 * Lowers a checked file to IR: resolves names, expands defs at each call (defs are
 * shape-generic), checks every shape with the primitives' signatures, and reports errors at the
 * user's own text even when they happen inside a stdlib def.
 */
export function elaborate(file: SourceFile, defs: ReadonlyMap<string, DefEntry>, options: ElaborateOptions): Elaboration {
  const b = new IrBuilder();
  const cx: LowerContext = { b, epsilon: options.epsilon ?? FLOAT64_EPSILON };
  const diagnostics: Diagnostic[] = [];
  const inputs = new Map<string, ProgramInput & { node: Node; firstUse: Span; declared: boolean }>();
  const params: (ObjectiveParam & { decl: ParamDecl })[] = [];
  const streamShapes = new Map<string, Shape>();
  const lets = new Map<string, Val>();
  const userScope: Scope = { params: null, frames: [], file: options.fileName, source: options.source };
  let objective: Val | undefined;
  let terms: ObjectiveTerm[] = [];

  const text = (span: Span, scope: Scope) => scope.source.slice(span.start.offset, span.end.offset);

  /**
   * Records an error and unwinds the statement. Inside a def the error is reported at the user's
   * call; `asCaller`, when given, words it as the caller's own expectation (the offending value
   * came from the user's text), e.g. `ortho expects matrix[_, _], got vector[d] (from spectrum(Z))`.
   */
  function fail(scope: Scope, span: Span, code: string, message: string, asCaller?: (caller: string) => string): never {
    if (scope.frames.length === 0) {
      diagnostics.push({ severity: 'error', code, message, span });
      throw new Failure(message);
    }
    const outer = scope.frames[0];
    const related: RelatedInformation[] = [];
    for (let i = scope.frames.length - 1; i >= 0; i--) {
      const frame = scope.frames[i];
      const where = i === scope.frames.length - 1 ? span : scope.frames[i + 1].callSpan;
      related.push({
        message: i === scope.frames.length - 1 ? `in the body of ${frame.def.decl.name}: ${message}` : `called from ${frame.def.decl.name}`,
        span: where,
        ...(frame.def.file === options.fileName ? {} : { file: frame.def.file }),
      });
    }
    const rephrased = asCaller !== undefined ? asCaller(outer.def.decl.name) : `in ${outer.def.decl.name}(...): ${message}`;
    diagnostics.push({ severity: 'error', code, message: rephrased, span: outer.callSpan, related });
    throw new Failure(rephrased);
  }

  function shapeMismatch(scope: Scope, span: Span, what: string, expected: string, got: Val): never {
    const wording = (who: string) => `${who} expects ${expected}, got ${formatShape(got.node.shape)} (from ${got.origin})`;
    fail(scope, span, 'shape-mismatch', wording(what), got.fromUser ? wording : undefined);
  }

  function inputNamed(name: string, stream: string | undefined, span: Span): Node {
    const existing = inputs.get(name);
    if (existing !== undefined) return existing.node;
    const shape = (stream !== undefined ? streamShapes.get(stream) : undefined) ?? IMPLICIT_SHAPE;
    if (stream !== undefined) streamShapes.set(stream, shape);
    const node = b.make('input', [], { name, shape: [...shape] });
    inputs.set(name, { name, shape, node, firstUse: span, declared: false });
    return node;
  }

  function constant(value: number): Node {
    return b.make('const', [], { value, shape: [] });
  }

  function val(node: Node, span: Span, scope: Scope): Val {
    return { node, origin: text(span, scope), fromUser: scope.frames.length === 0 };
  }

  function expr(e: Expr, scope: Scope): Val {
    const value = exprUnrecorded(e, scope);
    if (scope.frames.length === 0) options.onShape?.(e.span, value.node.shape);
    return value;
  }

  function exprUnrecorded(e: Expr, scope: Scope): Val {
    switch (e.kind) {
      case 'number':
        return val(constant(e.value), e.span, scope);
      case 'timeref':
        return val(inputNamed(timeRefName(e.stream, e.offset), e.stream, e.span), e.span, scope);
      case 'name':
        return name(e.name, e.span, scope);
      case 'unary': {
        const operand = expr(e.operand, scope);
        return val(b.make('neg', [operand.node]), e.span, scope);
      }
      case 'binary':
        return binary(e.op, expr(e.left, scope), expr(e.right, scope), e.span, scope);
      case 'call':
        return call(e, scope);
    }
  }

  function name(id: string, span: Span, scope: Scope): Val {
    const param = scope.params?.get(id);
    if (param !== undefined) return param;
    const bound = lets.get(id);
    if (bound !== undefined) return bound;
    if (defs.has(id) || PRIMITIVES.has(id)) {
      fail(scope, span, 'not-a-value', `'${id}' is a function; call it, e.g. ${id}(Z)`);
    }
    return val(inputNamed(id, undefined, span), span, scope);
  }

  function binary(op: string, left: Val, right: Val, span: Span, scope: Scope): Val {
    const [ls, rs] = [left.node.shape, right.node.shape];
    if (op === '@') {
      if (ls.length === 0) shapeMismatch(scope, span, '@', 'a matrix or vector on the left', left);
      if (rs.length === 0) shapeMismatch(scope, span, '@', 'a matrix or vector on the right', right);
      if (ls.length === 1 && rs.length === 1) shapeMismatch(scope, span, '@', 'a matrix on one side (for a dot product write sum(u * v))', right);
      if (ls[ls.length - 1] !== rs[0]) {
        fail(
          scope,
          span,
          'shape-mismatch',
          `@ needs the columns of the left to match the rows of the right, got ${formatShape(ls)} (from ${left.origin}) and ${formatShape(rs)} (from ${right.origin})`,
        );
      }
      return val(matrixProduct(left.node, right.node), span, scope);
    }
    if (op === '^') {
      if (rs.length !== 0) shapeMismatch(scope, span, '^', 'a scalar exponent', right);
      return val(b.make('pow', [left.node, right.node]), span, scope);
    }
    const rowWise = (m: Shape, v: Shape) => m.length === 2 && v.length === 1 && m[1] === v[0];
    if (ls.length !== 0 && rs.length !== 0 && formatShape(ls) !== formatShape(rs) && !rowWise(ls, rs) && !rowWise(rs, ls)) {
      fail(
        scope,
        span,
        'shape-mismatch',
        `${op} needs equal shapes, a scalar, or a matrix[r, c] and a vector[c] (applied to every row), got ${formatShape(ls)} (from ${left.origin}) and ${formatShape(rs)} (from ${right.origin})`,
      );
    }
    // A vector against a matrix is repeated as every row (a bias, a per-column scale).
    const l = rowWise(rs, ls) ? b.make('bcast_rows', [left.node], { rows: rs[0] }) : left.node;
    const r = rowWise(ls, rs) ? b.make('bcast_rows', [right.node], { rows: ls[0] }) : right.node;
    const node =
      op === '+' ? b.make('add', [l, r]) : op === '-' ? b.make('sub', [l, r]) : op === '*' ? b.make('mul', [l, r]) : guardedDivide(cx, l, r);
    return val(node, span, scope);
  }

  /** M @ N, M @ v (a vector over M's rows) and v @ M (one over M's columns), checked by the caller. */
  function matrixProduct(left: Node, right: Node): Node {
    if (right.shape.length === 1) return b.make('sum_cols', [b.make('mul', [left, b.make('bcast_rows', [right], { rows: left.shape[0] })])]);
    if (left.shape.length === 1) return b.make('sum_rows', [b.make('mul', [b.make('bcast_cols', [left], { cols: right.shape[1] }), right])]);
    return b.make('matmul', [left, right]);
  }

  function callable(): string[] {
    return [...PRIMITIVES.keys(), ...defs.keys()];
  }

  function call(e: Call, scope: Scope): Val {
    if (scope.params?.has(e.callee) || lets.has(e.callee)) {
      fail(scope, e.calleeSpan, 'not-a-function', `'${e.callee}' is a value, not a function`);
    }
    const def = defs.get(e.callee);
    if (def !== undefined) return callDef(def, e, scope);
    const primitive = PRIMITIVES.get(e.callee);
    if (primitive === undefined) {
      const hint = suggest(e.callee, callable());
      fail(scope, e.calleeSpan, 'unknown-function', `unknown function '${e.callee}'${hint ? `; did you mean '${hint}'?` : ''}`);
    }
    const keyword = e.args.find((a) => a.name !== undefined);
    if (keyword !== undefined) {
      fail(scope, keyword.nameSpan ?? keyword.span, 'keyword-argument', `${e.callee} takes no keyword arguments`);
    }
    if (e.args.length !== primitive.params.length) {
      fail(scope, e.span, 'arity', `${e.callee} expects ${arity(primitive.params.map((p) => p.name))}, got ${e.args.length}`);
    }
    const args = e.args.map((arg, i) => primitiveArgument(primitive.params[i].kind, arg, e.callee, scope));
    for (let i = 0; i < args.length; i++) {
      const expected = checkKind(primitive.params[i].kind, args[i].node.shape);
      if (expected !== undefined) shapeMismatch(scope, e.args[i].span, e.callee, expected, args[i]);
    }
    const relation = primitive.relate?.(args.map((a) => a.node.shape));
    if (relation !== undefined) fail(scope, e.span, 'shape-mismatch', relation);
    return val(primitive.lower(cx, args.map((a) => a.node)), e.span, scope);
  }

  function primitiveArgument(kind: string, arg: Argument, callee: string, scope: Scope): Val {
    if (kind !== 'dimension') return expr(arg.value, scope);
    const v = arg.value;
    if (v.kind === 'number' && Number.isInteger(v.value) && v.value > 0) {
      return val(b.make('dimsize', [], { dim: v.value }), v.span, scope);
    }
    if (v.kind === 'call' && ['rows', 'cols', 'len'].includes(v.callee)) return expr(v, scope);
    return fail(scope, v.span, 'dimension', `${callee} expects a positive integer or rows(M), cols(M), len(v)`);
  }

  function callDef(def: DefEntry, e: Call, scope: Scope): Val {
    const { decl } = def;
    if (scope.frames.some((f) => f.def.decl === decl)) {
      fail(scope, e.calleeSpan, 'recursion', `'${decl.name}' calls itself; DFL defs cannot be recursive`);
    }
    const bound = new Map<string, Val>();
    const positional = e.args.filter((a) => a.name === undefined);
    if (positional.length > decl.params.length) {
      fail(scope, e.span, 'arity', `${decl.name} expects ${arity(decl.params.map((p) => p.name))}, got ${positional.length}`);
    }
    positional.forEach((arg, i) => bound.set(decl.params[i].name, expr(arg.value, scope)));
    for (const arg of e.args) {
      if (arg.name === undefined) continue;
      const param = decl.params.find((p) => p.name === arg.name);
      if (param === undefined) {
        const hint = suggest(arg.name, decl.params.map((p) => p.name));
        fail(scope, arg.nameSpan ?? arg.span, 'unknown-keyword', `${decl.name} has no parameter '${arg.name}'${hint ? `; did you mean '${hint}'?` : ''}`);
      }
      if (bound.has(arg.name)) fail(scope, arg.nameSpan ?? arg.span, 'duplicate-argument', `${decl.name}: '${arg.name}' is given twice`);
      bound.set(arg.name, expr(arg.value, scope));
    }
    for (const param of decl.params) {
      if (bound.has(param.name)) continue;
      if (param.default === undefined) {
        fail(scope, e.span, 'arity', `${decl.name} is missing its argument '${param.name}' (it expects ${arity(decl.params.map((p) => p.name))})`);
      }
      bound.set(param.name, { node: constant(param.default.value), origin: String(param.default.value), fromUser: false });
    }
    const inner: Scope = {
      params: bound,
      frames: [...scope.frames, { def, callSpan: e.span }],
      file: def.file,
      source: def.source,
    };
    const result = expr(decl.body, inner);
    return { node: result.node, origin: text(e.span, scope), fromUser: scope.frames.length === 0 };
  }

  for (const statement of file.statements) {
    try {
      switch (statement.kind) {
        case 'input':
          declareInputs(statement.names, statement.shape);
          break;
        case 'param':
          declareParam(statement);
          break;
        case 'let': {
          const earlier = inputs.get(statement.name);
          if (earlier !== undefined && !earlier.declared) {
            fail(userScope, statement.nameSpan, 'use-before-definition', `'${statement.name}' is read before this let defines it (it was taken as an implicit input)`);
          }
          const value = expr(statement.value, userScope);
          lets.set(statement.name, { node: value.node, origin: statement.name, fromUser: true });
          break;
        }
        case 'minimize':
        case 'expr': {
          const value = expr(statement.value, userScope);
          if (value.node.shape.length !== 0) {
            fail(
              userScope,
              statement.value.span,
              'objective-not-scalar',
              `the objective must be a ${EXPECTED_SCALAR}, got ${formatShape(value.node.shape)}; reduce it, e.g. with sum(...) or mean(...)`,
            );
          }
          objective = value;
          // Elaborating a subexpression again gives the same interned nodes: no extra work.
          terms = additiveTerms(statement.value).map(({ expr: term, sign }) => ({
            text: (sign < 0 ? '-' : '') + text(term.span, userScope),
            node: sign < 0 ? b.make('neg', [expr(term, userScope).node]) : expr(term, userScope).node,
          }));
          break;
        }
        case 'def':
          break;
      }
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
    }
  }

  /**
   * False when `name` was declared or used before this declaration of it as `what`; a use is
   * reported here, a second declaration by checkDeclarations.
   */
  function firstDeclaration(what: string, name: string, span: Span): boolean {
    const earlier = inputs.get(name);
    if (earlier === undefined) return true;
    if (earlier.declared) return false;
    diagnostics.push({
      severity: 'error',
      code: 'duplicate-definition',
      message: `${what} '${name}' is already used before this declaration`,
      span,
      related: [{ message: 'first used here', span: earlier.firstUse }],
    });
    return false;
  }

  function shapeOf(dims: InputDecl['shape']): Shape {
    return dims.map((d) => (d.kind === 'int' ? d.value : d.name));
  }

  function declareParam(decl: ParamDecl): void {
    if (!firstDeclaration('param', decl.name, decl.nameSpan)) return;
    const shape = shapeOf(decl.shape);
    const node = b.make('input', [], { name: decl.name, shape: [...shape] });
    inputs.set(decl.name, { name: decl.name, shape, node, firstUse: decl.nameSpan, declared: true });
    params.push({ name: decl.name, shape, init: decl.init ?? (shape.length === 2 ? 'glorot' : 'zeros'), decl });
  }

  /** A param's symbolic dimensions are sizes of the data: each must be a dimension of an input. */
  function checkParamDims(): void {
    const paramNames = new Set(params.map((p) => p.name));
    const known = new Set([...inputs.values()].filter((i) => !paramNames.has(i.name)).flatMap((i) => i.shape.filter((d) => typeof d === 'string')));
    for (const param of params) {
      param.decl.shape.forEach((dim) => {
        if (dim.kind !== 'symbol' || known.has(dim.name)) return;
        diagnostics.push({
          severity: 'error',
          code: 'param-dimension',
          message: `param ${param.name}: '${dim.name}' is not a dimension of any input (${[...known].join(', ') || 'none'}); use a number or an input's dimension`,
          span: dim.span,
        });
      });
    }
  }

  function declareInputs(names: InputDecl['names'], dims: InputDecl['shape']): void {
    const shape = shapeOf(dims);
    for (const ref of names) {
      const inputName = ref.kind === 'name' ? ref.name : timeRefName(ref.stream, ref.offset);
      if (!firstDeclaration('input', inputName, ref.span)) continue;
      if (ref.kind === 'timeref') {
        const streamShape = streamShapes.get(ref.stream);
        if (streamShape !== undefined && formatShape(streamShape) !== formatShape(shape)) {
          diagnostics.push({
            severity: 'error',
            code: 'shape-mismatch',
            message: `all time references of stream ${ref.stream} share one shape: ${inputName} is declared ${formatShape(shape)} but the stream is ${formatShape(streamShape)}`,
            span: ref.span,
          });
          continue;
        }
        streamShapes.set(ref.stream, shape);
      }
      const node = b.make('input', [], { name: inputName, shape: [...shape] });
      inputs.set(inputName, { name: inputName, shape, node, firstUse: ref.span, declared: true });
    }
  }

  checkParamDims();
  if (diagnostics.some((d) => d.severity === 'error') || objective === undefined) {
    return { program: undefined, diagnostics, terms: [], params: [] };
  }
  return {
    terms,
    params: params.map(({ name, shape, init }) => ({ name, shape, init })),
    program: {
      inputs: [...inputs.values()].map(({ name, shape }) => ({ name, shape })),
      outputs: [{ name: 'value', node: objective.node }],
    },
    diagnostics,
  };
}

function arity(params: readonly string[]): string {
  return params.length === 1 ? `1 argument (${params[0]})` : `${params.length} arguments (${params.join(', ')})`;
}
