import type { Argument, Binary, Call, DefDecl, Expr, LetDecl, ParamInit, SourceFile, Statement } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import type { Span } from '../../grammar/span.ts';
import { suggest } from '../../grammar/suggest.ts';
import { IrBuilder } from '../ir/builder.ts';
import { IrShapeError } from '../ir/ir-error.ts';
import type { Node, Program } from '../ir/node.ts';
import { formatShape, type Shape } from '../ir/shape.ts';
import { FLOAT64_EPSILON } from '../surface/guards.ts';
import { PRIMITIVES } from '../surface/index.ts';
import { INFIX_OPERATORS } from '../surface/operators.ts';
import { checkKind, type LowerContext } from '../surface/primitive.ts';
import { callSiteDiagnostic, type Frame } from './call-site.ts';
import { IMPLICIT_SHAPE, timeRefName } from './input-names.ts';
import { ProgramInputs } from './program-inputs.ts';

/** A def the elaborator can call: a user def or a stdlib def, with the text it came from. */
export interface DefEntry {
  readonly decl: DefDecl;
  readonly file: string;
  readonly source: string;
  readonly fromStdlib: boolean;
  /** The file declares its name twice (checkDeclarations reports it): a call of it is poisoned. */
  readonly ambiguous: boolean;
}

/** A value during elaboration: its IR node and the source text it came from, for messages. */
interface Val {
  readonly node: Node;
  readonly origin: string;
  /** Whether `origin` is text the user wrote (so a message inside a def can quote it). */
  readonly fromUser: boolean;
}

interface Scope {
  readonly params: ReadonlyMap<string, Val> | null;
  readonly frames: readonly Frame[];
  /** The file and text the expression being elaborated belongs to. */
  readonly file: string;
  readonly source: string;
}

/**
 * The poisoned value: what a failed expression stands for. It unwinds elaboration up to the
 * nearest sibling loop (`each`) or statement, and a name whose statement failed is bound to it, so
 * that nothing which depends on a failure reports a further error. Its diagnostic, if any, is
 * already recorded: a read of a poisoned name throws one with none.
 */
class Failure extends Error {}

/** A let, or a declared input, whose statement failed: reading it fails without a message. */
const POISONED = Symbol('poisoned');

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

/**
 * Lowers a checked file to IR: resolves names, expands defs at each call (defs are
 * shape-generic), checks every shape with the primitives' signatures and the IR ops' shape rules,
 * and reports errors at the user's own text even when they happen inside a stdlib def.
 */
export function elaborate(file: SourceFile, defs: ReadonlyMap<string, DefEntry>, options: ElaborateOptions): Elaboration {
  const inputDims = file.statements.flatMap((s) => (s.kind === 'input' ? s.shape.flatMap((d) => (d.kind === 'symbol' ? [d.name] : [])) : []));
  const elaborator = new Elaborator(defs, options, new Set([...IMPLICIT_SHAPE, ...inputDims]));
  for (const statement of file.statements) {
    try {
      elaborator.statement(statement);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
    }
  }
  return elaborator.finish();
}

/** The state of one file's elaboration; each statement goes through `statement`, in order. */
class Elaborator {
  private readonly b = new IrBuilder();
  private readonly cx: LowerContext;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly inputs: ProgramInputs;
  /** Let values by name, and POISONED for each name whose let, input or param statement failed. */
  private readonly lets = new Map<string, Val | typeof POISONED>();
  /** Names a let, input or param statement has declared: a second declaration poisons the name. */
  private readonly declared = new Set<string>();
  /** Bumped at every let, since a def body may read lets: instances made before it may differ. */
  private letsVersion = 0;
  /**
   * A def's body elaborated once per distinct argument nodes (the IR is hash-consed, so equal
   * arguments are one node): nested calls such as `f(X) + f(X)` then cost one expansion, not two
   * per level. Only successful expansions are kept, so an error is reported at each call that meets it.
   */
  private readonly instances = new Map<DefDecl, Map<string, Node>>();
  private readonly userScope: Scope;
  private objective: Val | undefined;
  private terms: ObjectiveTerm[] = [];

  constructor(
    private readonly defs: ReadonlyMap<string, DefEntry>,
    private readonly options: ElaborateOptions,
    /** Every symbolic dimension an input of the file may have (see ProgramInputs). */
    possibleDims: ReadonlySet<string>,
  ) {
    this.cx = { b: this.b, epsilon: options.epsilon ?? FLOAT64_EPSILON };
    this.inputs = new ProgramInputs(this.b, (d) => this.diagnostics.push(d), possibleDims);
    this.userScope = { params: null, frames: [], file: options.fileName, source: options.source };
  }

  statement(statement: Statement): void {
    switch (statement.kind) {
      case 'input': {
        const failed = this.inputs.declareInputs(statement.names, statement.shape);
        for (const ref of statement.names) {
          const name = ref.kind === 'name' ? ref.name : timeRefName(ref.stream, ref.offset);
          if (!this.declare(name) || failed.includes(name)) this.bind(name, POISONED);
        }
        return;
      }
      case 'param':
        if (!this.declare(statement.name) || !this.inputs.declareParam(statement)) this.bind(statement.name, POISONED);
        return;
      case 'let':
        return this.let(statement);
      case 'minimize':
      case 'expr':
        return this.objectiveStatement(statement.value);
      case 'def':
        return;
    }
  }

  /**
   * Binds the let's name to its value, or to the poisoned value when the value failed or the
   * name is declared twice (checkDeclarations reports that): later uses then report nothing more.
   */
  private let(statement: LetDecl): void {
    const twice = this.declared.has(statement.name);
    this.declared.add(statement.name);
    let value: Val | undefined;
    try {
      value = this.expr(statement.value, this.userScope);
    } finally {
      // Read above or in its own value (`let a = sum(a)`): reported, the value's problems too.
      const readBefore = this.inputs.readImplicitly(statement.name);
      if (readBefore) {
        this.record(this.userScope, statement.nameSpan, 'use-before-definition', `'${statement.name}' is read before this let defines it (it was taken as an implicit input)`);
      }
      this.bind(statement.name, value === undefined || twice || readBefore ? POISONED : { node: value.node, origin: statement.name, fromUser: true });
    }
  }

  /** Binds a let name; def instances made before may have read the name otherwise. */
  private bind(name: string, value: Val | typeof POISONED): void {
    this.lets.set(name, value);
    this.letsVersion++;
  }

  /** Notes a declaration of an input or param; false when a statement above declared the name. */
  private declare(name: string): boolean {
    if (this.declared.has(name)) return false;
    this.declared.add(name);
    return true;
  }

  finish(): Elaboration {
    this.inputs.checkParamDims();
    if (this.diagnostics.some((d) => d.severity === 'error') || this.objective === undefined) {
      return { program: undefined, diagnostics: this.diagnostics, terms: [], params: [] };
    }
    return {
      terms: this.terms,
      params: this.inputs.objectiveParams(),
      program: { inputs: this.inputs.programInputs(), outputs: [{ name: 'value', node: this.objective.node }] },
      diagnostics: this.diagnostics,
    };
  }

  private objectiveStatement(e: Expr): void {
    const value = this.expr(e, this.userScope);
    if (value.node.shape.length !== 0) {
      this.fail(
        this.userScope,
        e.span,
        'objective-not-scalar',
        `the objective must be a scalar, got ${formatShape(value.node.shape)}; reduce it, e.g. with sum(...) or mean(...)`,
      );
    }
    this.objective = value;
    // Elaborating a subexpression again gives the same interned nodes: no extra work.
    this.terms = additiveTerms(e).map(({ expr: term, sign }) => ({
      text: (sign < 0 ? '-' : '') + this.text(term.span, this.userScope),
      node: sign < 0 ? this.b.make('neg', [this.expr(term, this.userScope).node]) : this.expr(term, this.userScope).node,
    }));
  }

  private text(span: Span, scope: Scope): string {
    return scope.source.slice(span.start.offset, span.end.offset);
  }

  /** Records an error (at the user's call when inside a def, see call-site.ts) and unwinds the statement. */
  private fail(scope: Scope, span: Span, code: string, message: string, asCaller?: (caller: string) => string): never {
    throw new Failure(this.record(scope, span, code, message, asCaller).message);
  }

  private record(scope: Scope, span: Span, code: string, message: string, asCaller?: (caller: string) => string): Diagnostic {
    const diagnostic = callSiteDiagnostic(scope.frames, span, code, message, this.options.fileName, asCaller);
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  /**
   * Elaborates every part, also after one fails, so that a statement reports each of its
   * problems (every unknown name, not only the first); then fails if any part did. Inside a def's
   * body the first failure ends the call: its errors are all reported at the one call site, where
   * the first says what is wrong.
   */
  private each<T>(scope: Scope, parts: readonly (() => T)[]): T[] {
    if (scope.frames.length > 0) return parts.map((part) => part());
    const out: T[] = [];
    let failure: Failure | undefined;
    for (const part of parts) {
      try {
        out.push(part());
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
    return out;
  }

  private shapeMismatch(scope: Scope, span: Span, what: string, expected: string, got: Val): never {
    const wording = (who: string) => `${who} expects ${expected}, got ${formatShape(got.node.shape)} (from ${got.origin})`;
    this.fail(scope, span, 'shape-mismatch', wording(what), got.fromUser ? wording : undefined);
  }

  private constant(value: number): Node {
    return this.b.make('const', [], { value, shape: [] });
  }

  private val(node: Node, span: Span, scope: Scope): Val {
    return { node, origin: this.text(span, scope), fromUser: scope.frames.length === 0 };
  }

  private expr(e: Expr, scope: Scope): Val {
    const value = this.exprUnrecorded(e, scope);
    if (scope.frames.length === 0) this.options.onShape?.(e.span, value.node.shape);
    return value;
  }

  private exprUnrecorded(e: Expr, scope: Scope): Val {
    switch (e.kind) {
      case 'number':
        return this.val(this.constant(e.value), e.span, scope);
      case 'timeref': {
        const name = timeRefName(e.stream, e.offset);
        if (this.lets.get(name) === POISONED) throw new Failure(`'${name}' is poisoned`);
        return this.val(this.inputs.read(name, e.stream, e.span), e.span, scope);
      }
      case 'name':
        return this.name(e.name, e.span, scope);
      case 'unary':
        return this.val(this.b.make('neg', [this.expr(e.operand, scope).node]), e.span, scope);
      case 'binary':
        return this.binary(e, scope);
      case 'call':
        return this.call(e, scope);
    }
  }

  private name(id: string, span: Span, scope: Scope): Val {
    const param = scope.params?.get(id);
    if (param !== undefined) return param;
    const bound = this.lets.get(id);
    if (bound === POISONED) throw new Failure(`'${id}' is poisoned`);
    if (bound !== undefined) return bound;
    if (this.defs.has(id) || PRIMITIVES.has(id)) {
      this.fail(scope, span, 'not-a-value', `'${id}' is a function; call it, e.g. ${id}(Z)`);
    }
    return this.val(this.inputs.read(id, undefined, span), span, scope);
  }

  /** An infix operator: its operand ranks, then its lowering, whose IR shape rules judge the dimensions. */
  private binary(e: Binary, scope: Scope): Val {
    const [left, right] = this.each(scope, [() => this.expr(e.left, scope), () => this.expr(e.right, scope)]);
    const operator = INFIX_OPERATORS[e.op];
    const refusal = operator.ranks?.(left.node.shape, right.node.shape);
    if (refusal !== undefined) this.shapeMismatch(scope, e.span, e.op, refusal.expected, refusal.operand === 'left' ? left : right);
    try {
      return this.val(operator.lower(this.cx, left.node, right.node), e.span, scope);
    } catch (error) {
      if (!(error instanceof IrShapeError)) throw error;
      const got = `got ${formatShape(left.node.shape)} (from ${left.origin}) and ${formatShape(right.node.shape)} (from ${right.origin})`;
      return this.fail(scope, e.span, 'shape-mismatch', `${e.op} ${operator.needs}, ${got}`);
    }
  }

  private call(e: Call, scope: Scope): Val {
    const def = this.defs.get(e.callee);
    if (scope.params?.has(e.callee) !== true && def?.ambiguous === true) {
      this.argumentProblems(e, scope);
      throw new Failure(`'${e.callee}' is declared twice`);
    }
    if (scope.params?.has(e.callee) || this.lets.has(e.callee)) {
      this.failWithArguments(e, scope, 'not-a-function', `'${e.callee}' is a value, not a function`);
    }
    if (def !== undefined) return this.callDef(def, e, scope);
    const primitive = PRIMITIVES.get(e.callee);
    if (primitive === undefined) {
      const hint = suggest(e.callee, [...PRIMITIVES.keys(), ...this.defs.keys()]);
      return this.failWithArguments(e, scope, 'unknown-function', `unknown function '${e.callee}'${hint ? `; did you mean '${hint}'?` : ''}`);
    }
    const args = this.arguments(
      e,
      scope,
      () => {
        const keyword = e.args.find((a) => a.name !== undefined);
        if (keyword !== undefined) {
          this.fail(scope, keyword.nameSpan ?? keyword.span, 'keyword-argument', `${e.callee} takes no keyword arguments`);
        }
        if (e.args.length !== primitive.params.length) {
          this.fail(scope, e.span, 'arity', `${e.callee} expects ${arity(primitive.params.map((p) => p.name))}, got ${e.args.length}`);
        }
      },
      (arg, i) => this.primitiveArgument(primitive.params[i]?.kind, arg, e.callee, scope),
    );
    for (let i = 0; i < args.length; i++) {
      const expected = checkKind(primitive.params[i].kind, args[i].node.shape);
      if (expected !== undefined) this.shapeMismatch(scope, e.args[i].span, e.callee, expected, args[i]);
    }
    const relation = primitive.relate?.(args.map((a) => a.node.shape));
    if (relation !== undefined) this.fail(scope, e.span, 'shape-mismatch', relation);
    return this.val(primitive.lower(this.cx, args.map((a) => a.node)), e.span, scope);
  }

  /** A problem with the callee, reported with the arguments' own problems (an unknown name inside them, say). */
  private failWithArguments(e: Call, scope: Scope, code: string, message: string): never {
    this.argumentProblems(e, scope);
    return this.fail(scope, e.calleeSpan, code, message);
  }

  /** Reports the problems of a call's arguments, for a call that fails whatever they are. */
  private argumentProblems(e: Call, scope: Scope): void {
    try {
      this.each(scope, e.args.map((arg) => () => this.expr(arg.value, scope)));
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
    }
  }

  /**
   * The values of a call's arguments, in the order written. `check` applies the call's own rules
   * to the arguments as written (arity, keywords): its problem and the arguments' own problems are
   * independent, so each is reported.
   */
  private arguments(e: Call, scope: Scope, check: () => void, argument = (arg: Argument, _i: number) => this.expr(arg.value, scope)): Val[] {
    const [values] = this.each(scope, [
      () => this.each(scope, e.args.map((arg, i) => () => argument(arg, i))),
      () => {
        check();
        return [];
      },
    ]);
    return values;
  }

  /** A primitive's argument of the given kind; `undefined` past the primitive's parameters (an arity error). */
  private primitiveArgument(kind: string | undefined, arg: Argument, callee: string, scope: Scope): Val {
    if (kind !== 'dimension') return this.expr(arg.value, scope);
    const v = arg.value;
    if (v.kind === 'number' && Number.isInteger(v.value) && v.value > 0) {
      return this.val(this.b.make('dimsize', [], { dim: v.value }), v.span, scope);
    }
    if (v.kind === 'call' && ['rows', 'cols', 'len'].includes(v.callee)) return this.expr(v, scope);
    return this.fail(scope, v.span, 'dimension', `${callee} expects a positive integer or rows(M), cols(M), len(v)`);
  }

  private callDef(def: DefEntry, e: Call, scope: Scope): Val {
    const { decl } = def;
    const cycle = scope.frames.findIndex((f) => f.def.decl === decl);
    if (cycle >= 0) {
      // checkDeclarations reports a cycle of the user's own defs at a def: a call into it is poisoned.
      if (scope.frames.slice(cycle).every((f) => !f.def.fromStdlib)) throw new Failure(`'${decl.name}' is recursive`);
      this.fail(scope, e.calleeSpan, 'recursion', `'${decl.name}' calls itself; DFL defs cannot be recursive`);
    }
    const bound = this.bindArguments(decl, e, scope);
    let instances = this.instances.get(decl);
    if (instances === undefined) this.instances.set(decl, (instances = new Map()));
    const key = `${this.letsVersion}:${decl.params.map((p) => bound.get(p.name)!.node.id).join(',')}`;
    let node = instances.get(key);
    if (node === undefined) {
      const inner: Scope = { params: bound, frames: [...scope.frames, { def, callSpan: e.span }], file: def.file, source: def.source };
      node = this.expr(decl.body, inner).node;
      instances.set(key, node);
    }
    return { node, origin: this.text(e.span, scope), fromUser: scope.frames.length === 0 };
  }

  /** The call's arguments by parameter name: positional, then keyword, then the defaults. */
  private bindArguments(decl: DefDecl, e: Call, scope: Scope): Map<string, Val> {
    // Which argument each parameter takes, by index into e.args (the checks need no values).
    const taken = new Map<string, number>();
    const values = this.arguments(e, scope, () => {
      const expects = () => arity(decl.params.map((p) => p.name));
      const positional = e.args.filter((a) => a.name === undefined).length;
      if (positional > decl.params.length) this.fail(scope, e.span, 'arity', `${decl.name} expects ${expects()}, got ${positional}`);
      e.args.forEach((arg, i) => {
        if (arg.name === undefined) return taken.set(decl.params[i].name, i);
        const param = decl.params.find((p) => p.name === arg.name);
        if (param === undefined) {
          const hint = suggest(arg.name, decl.params.map((p) => p.name));
          this.fail(scope, arg.nameSpan ?? arg.span, 'unknown-keyword', `${decl.name} has no parameter '${arg.name}'${hint ? `; did you mean '${hint}'?` : ''}`);
        }
        if (taken.has(arg.name)) this.fail(scope, arg.nameSpan ?? arg.span, 'duplicate-argument', `${decl.name}: '${arg.name}' is given twice`);
        return taken.set(arg.name, i);
      });
      const missing = decl.params.find((p) => !taken.has(p.name) && p.default === undefined);
      if (missing !== undefined) this.fail(scope, e.span, 'arity', `${decl.name} is missing its argument '${missing.name}' (it expects ${expects()})`);
    });
    const bound = new Map<string, Val>();
    for (const param of decl.params) {
      const at = taken.get(param.name);
      bound.set(param.name, at !== undefined ? values[at] : { node: this.constant(param.default!.value), origin: String(param.default!.value), fromUser: false });
    }
    return bound;
  }
}

function arity(params: readonly string[]): string {
  return params.length === 1 ? `1 argument (${params[0]})` : `${params.length} arguments (${params.join(', ')})`;
}
