import type { InputDecl, ParamDecl } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import type { Span } from '../../grammar/span.ts';
import type { IrBuilder } from '../ir/builder.ts';
import type { Node, ProgramInput } from '../ir/node.ts';
import { formatShape, type Shape } from '../ir/shape.ts';
import type { ObjectiveParam } from './elaborate.ts';
import { IMPLICIT_SHAPE, timeRefName } from './input-names.ts';

interface InputEntry extends ProgramInput {
  readonly node: Node;
  readonly firstUse: Span;
  readonly declared: boolean;
}

/**
 * The program's inputs as a file declares and reads them: `input` and `param` declarations, and
 * names read without one (implicit inputs of IMPLICIT_SHAPE). All time references of a stream share
 * one shape. Problems are reported through `report`; the elaboration goes on.
 */
export class ProgramInputs {
  private readonly inputs = new Map<string, InputEntry>();
  private readonly streamShapes = new Map<string, Shape>();
  private readonly params: (ObjectiveParam & { readonly decl: ParamDecl })[] = [];
  /** Symbolic dimensions of input declarations that failed: a param may still name them without a further error. */
  private readonly failedDims = new Set<string>();

  /**
   * `possibleDims`: the symbolic dimensions of the file's input declarations and of IMPLICIT_SHAPE,
   * every dimension an input may end up having, so that a param's dimension outside them is known
   * to be wrong when the param is declared.
   */
  constructor(
    private readonly b: IrBuilder,
    private readonly report: (diagnostic: Diagnostic) => void,
    private readonly possibleDims: ReadonlySet<string>,
  ) {}

  /** The input `name` (of `stream`, for a time reference) as read at `span`; created on first read. */
  read(name: string, stream: string | undefined, span: Span): Node {
    const existing = this.inputs.get(name);
    if (existing !== undefined) return existing.node;
    const shape = (stream !== undefined ? this.streamShapes.get(stream) : undefined) ?? IMPLICIT_SHAPE;
    if (stream !== undefined) this.streamShapes.set(stream, shape);
    const node = this.b.make('input', [], { name, shape: [...shape] });
    this.inputs.set(name, { name, shape, node, firstUse: span, declared: false });
    return node;
  }

  /** Whether `name` was read, undeclared, as an implicit input. */
  readImplicitly(name: string): boolean {
    const earlier = this.inputs.get(name);
    return earlier !== undefined && !earlier.declared;
  }

  /** Declares each name; returns those whose declaration failed (reported here or by checkDeclarations). */
  declareInputs(names: InputDecl['names'], dims: InputDecl['shape']): string[] {
    const shape = shapeOf(dims);
    const failed: string[] = [];
    const fail = (name: string) => {
      failed.push(name);
      for (const d of shape) if (typeof d === 'string') this.failedDims.add(d);
    };
    for (const ref of names) {
      const inputName = ref.kind === 'name' ? ref.name : timeRefName(ref.stream, ref.offset);
      if (!this.firstDeclaration('input', inputName, ref.span)) {
        fail(inputName);
        continue;
      }
      if (ref.kind === 'timeref') {
        const streamShape = this.streamShapes.get(ref.stream);
        if (streamShape !== undefined && formatShape(streamShape) !== formatShape(shape)) {
          this.report({
            severity: 'error',
            code: 'shape-mismatch',
            message: `all time references of stream ${ref.stream} share one shape: ${inputName} is declared ${formatShape(shape)} but the stream is ${formatShape(streamShape)}`,
            span: ref.span,
          });
          fail(inputName);
          continue;
        }
        this.streamShapes.set(ref.stream, shape);
      }
      this.declare(inputName, shape, ref.span);
    }
    return failed;
  }

  /**
   * Declares the param; false when its declaration failed: reported here, by checkDeclarations,
   * or (a dimension no input can have) by checkParamDims.
   */
  declareParam(decl: ParamDecl): boolean {
    if (!this.firstDeclaration('param', decl.name, decl.nameSpan)) return false;
    const shape = shapeOf(decl.shape);
    this.declare(decl.name, shape, decl.nameSpan);
    this.params.push({ name: decl.name, shape, init: decl.init ?? (shape.length === 2 ? 'glorot' : 'zeros'), decl });
    return shape.every((d) => typeof d === 'number' || this.possibleDims.has(d));
  }

  /** A param's symbolic dimensions are sizes of the data: each must be a dimension of an input. */
  checkParamDims(): void {
    const paramNames = new Set(this.params.map((p) => p.name));
    const inputs = [...this.inputs.values()].filter((i) => !paramNames.has(i.name));
    const known = new Set([...inputs.flatMap((i) => i.shape.filter((d) => typeof d === 'string')), ...this.failedDims]);
    for (const param of this.params) {
      for (const dim of param.decl.shape) {
        if (dim.kind !== 'symbol' || known.has(dim.name)) continue;
        this.report({
          severity: 'error',
          code: 'param-dimension',
          message: `param ${param.name}: '${dim.name}' is not a dimension of any input (${[...known].join(', ') || 'none'}); use a number or an input's dimension`,
          span: dim.span,
        });
      }
    }
  }

  /** Every input, params included, in the order of first declaration or read. */
  programInputs(): ProgramInput[] {
    return [...this.inputs.values()].map(({ name, shape }) => ({ name, shape }));
  }

  objectiveParams(): ObjectiveParam[] {
    return this.params.map(({ name, shape, init }) => ({ name, shape, init }));
  }

  private declare(name: string, shape: Shape, span: Span): void {
    const node = this.b.make('input', [], { name, shape: [...shape] });
    this.inputs.set(name, { name, shape, node, firstUse: span, declared: true });
  }

  /**
   * False when `name` was declared or read before this declaration of it as `what`; a read is
   * reported here, a second declaration by checkDeclarations.
   */
  private firstDeclaration(what: string, name: string, span: Span): boolean {
    const earlier = this.inputs.get(name);
    if (earlier === undefined) return true;
    if (earlier.declared) return false;
    this.report({
      severity: 'error',
      code: 'duplicate-definition',
      message: `${what} '${name}' is already used before this declaration`,
      span,
      related: [{ message: 'first used here', span: earlier.firstUse }],
    });
    return false;
  }
}

function shapeOf(dims: InputDecl['shape']): Shape {
  return dims.map((d) => (d.kind === 'int' ? d.value : d.name));
}
