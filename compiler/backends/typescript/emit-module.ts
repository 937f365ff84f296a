import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  StructureKind,
  type CodeBlockWriter,
  type OptionalKind,
  type PropertySignatureStructure,
  type StatementStructures,
  type WriterFunction,
} from 'ts-morph';
import { explain } from '../../explain.ts';
import type { Program, ProgramInput } from '../../ir/node.ts';
import { formatShape, type Shape } from '../../ir/shape.ts';
import type { PassLog } from '../../passes/pass.ts';
import { blockCommentText, numberLiteral, objectKey, propertyName, stringLiteral } from './identifiers.ts';
import { moduleDoc } from './module-doc.ts';
import { ModuleNames } from './module-names.ts';
import { straightLine, type StraightLine } from './straight-line.ts';

export interface EmitModuleOptions {
  /** The objective's DFL source, quoted in the module's doc comment. */
  readonly source: string;
  /** The source's file name, for the doc comment. */
  readonly file?: string;
  /** The rewrites that fired (the pipeline's log), for the explain summary. */
  readonly log?: readonly PassLog[];
  /** Sizes the program was specialised with, for the cost estimate. */
  readonly sizes?: ReadonlyMap<string, number>;
  /**
   * The module specifier of dflc's runtime entry point (runtime/entry.ts). Default
   * `dflc/runtime`, which resolves wherever the `dflc` package does; a relative path works too.
   */
  readonly runtimeImport?: string;
}

export const DEFAULT_RUNTIME_IMPORT = 'dflc/runtime';

/** The tfjs-core type of a tensor of this rank. */
function tensorType(shape: Shape): string {
  return ['tf.Scalar', 'tf.Tensor1D', 'tf.Tensor2D'][shape.length] ?? 'tf.Tensor';
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The input and output types: one property per program input, named as in the source (quoted
 * when it is not an identifier: `'Z_t+1': tf.Tensor2D`).
 */
function tensorProperties(inputs: readonly ProgramInput[], what: (input: ProgramInput) => string): OptionalKind<PropertySignatureStructure>[] {
  return inputs.map((input) => ({
    name: propertyName(input.name),
    type: tensorType(input.shape),
    isReadonly: true,
    docs: [blockCommentText(what(input))],
  }));
}

/**
 * The statements of an exported function: bind the dimensions the body uses from the inputs'
 * shapes (checking all of them), then the straight-line body inside `tf.tidy`.
 */
function functionBody(
  body: StraightLine,
  names: ModuleNames,
  writeReturn: (writer: CodeBlockWriter, results: readonly string[]) => void,
) {
  return (writer: CodeBlockWriter) => {
    const dims = names.symbolicDims().filter((dim) => body.dims.has(dim));
    const bind = `bindInputSizes(INPUTS, [${dims.map(stringLiteral).join(', ')}], inputs);`;
    writer.writeLine(dims.length === 0 ? bind : `const [${dims.map((dim) => names.dim(dim)).join(', ')}] = ${bind}`);
    writer.write('return tf.tidy(() => ').inlineBlock(() => {
      for (const statement of body.statements) writer.writeLine(statement);
      writeReturn(writer, body.results);
    });
    writer.write(');');
  };
}

/**
 * A TypeScript module computing `program` (the optimised joint program of compileValueAndGrad,
 * outputs `value` and `grad:<input>`) with tfjs-core: exported `objective(inputs)` (the value
 * alone, from only the nodes it needs) and `valueAndGrad(inputs)` (everything), each a
 * straight line of tfjs calls in one `tf.tidy`, with `INPUTS` and the input and result types.
 * It imports only `@tensorflow/tfjs-core` and dflc's runtime entry point. Written with ts-morph;
 * user names reach it only through ./identifiers.ts.
 */
export function emitModule(program: Program, options: EmitModuleOptions): string {
  const runtimeImport = options.runtimeImport ?? DEFAULT_RUNTIME_IMPORT;
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(runtimeImport)) {
    throw new RangeError(`runtimeImport must be a module specifier, got ${JSON.stringify(runtimeImport)}`);
  }
  const valueOutput = program.outputs.find((output) => output.name === 'value');
  if (valueOutput === undefined) throw new RangeError("typescript backend: the program has no 'value' output");
  const gradOutputs = program.inputs.map((input) => {
    const output = program.outputs.find((o) => o.name === `grad:${input.name}`);
    if (output === undefined) throw new RangeError(`typescript backend: the program has no 'grad:${input.name}' output`);
    return output;
  });

  const names = new ModuleNames(program);
  const forward = straightLine([valueOutput], names);
  const joint = straightLine([valueOutput, ...gradOutputs], names);
  const report = explain(program, options.log ?? [], { sizes: options.sizes });

  // A statement of its own rather than a VariableStatement structure: ts-morph gives initializers
  // a hanging indent, which would misalign the array's lines.
  const signature = (writer: CodeBlockWriter) => {
    writer.writeLine("/** Every input's name and declared shape; symbolic dimensions are bound from the tensors given. */");
    writer.write('export const INPUTS: readonly InputSignature[] = [');
    if (program.inputs.length > 0) {
      writer.newLine().indent(() => {
        for (const input of program.inputs) {
          const shape = input.shape.map((dim) => (typeof dim === 'number' ? numberLiteral(dim) : stringLiteral(dim)));
          writer.writeLine(`{ name: ${stringLiteral(input.name)}, shape: [${shape.join(', ')}] },`);
        }
      });
    }
    writer.write('];');
  };

  const statements: (string | WriterFunction | StatementStructures)[] = [
    moduleDoc({ source: options.source, file: options.file, explain: report.json, valueOps: forward.ops }),
    { kind: StructureKind.ImportDeclaration, namespaceImport: 'tf', moduleSpecifier: '@tensorflow/tfjs-core' },
    {
      kind: StructureKind.ImportDeclaration,
      namedImports: [
        { name: 'bindInputSizes' },
        ...[...joint.runtime].sort().map((name) => ({ name })),
        { name: 'InputSignature', isTypeOnly: true },
      ],
      moduleSpecifier: runtimeImport,
    },
    {
      kind: StructureKind.Interface,
      name: 'ObjectiveInputs',
      isExported: true,
      docs: ['The objective\'s inputs, by their names in the source: float32 tensors of the declared shapes.'],
      properties: tensorProperties(program.inputs, (input) => formatShape(input.shape)),
    },
    {
      kind: StructureKind.Interface,
      name: 'ObjectiveGradients',
      isExported: true,
      docs: ['The gradient of the objective with respect to each input, of the input\'s shape.'],
      properties: tensorProperties(program.inputs, (input) => `d value / d ${input.name}: ${formatShape(input.shape)}`),
    },
    {
      kind: StructureKind.Interface,
      name: 'ObjectiveValueAndGrad',
      isExported: true,
      docs: ['What valueAndGrad returns: tensors the caller owns.'],
      properties: [
        { name: 'value', type: 'tf.Scalar', isReadonly: true, docs: ['The objective\'s value (a loss: lower is better).'] },
        { name: 'grads', type: 'ObjectiveGradients', isReadonly: true },
      ],
    },
    signature,
    {
      kind: StructureKind.Function,
      name: 'objective',
      isExported: true,
      docs: [
        `The objective's value at \`inputs\`, from the ${plural(forward.ops, 'op')} of the program that the value needs.\n` +
          'The caller keeps owning the inputs and owns the returned tensor.\n' +
          '@throws InputShapeError when an input is missing, not float32, or of a shape that does not fit.',
      ],
      parameters: [{ name: 'inputs', type: 'ObjectiveInputs' }],
      returnType: 'tf.Scalar',
      statements: functionBody(forward, names, (writer, [value]) => writer.writeLine(`return ${value} as tf.Scalar;`)),
    },
    {
      kind: StructureKind.Function,
      name: 'valueAndGrad',
      isExported: true,
      docs: [
        `The objective's value and its gradient with respect to every input, from one program of ${plural(joint.ops, 'op')}.\n` +
          'The caller keeps owning the inputs and owns every returned tensor (all distinct).\n' +
          '@throws InputShapeError when an input is missing, not float32, or of a shape that does not fit.',
      ],
      parameters: [{ name: 'inputs', type: 'ObjectiveInputs' }],
      returnType: 'ObjectiveValueAndGrad',
      statements: functionBody(joint, names, (writer, [value, ...grads]) => {
        writer.write('return {').newLine();
        writer.indent(() => {
          writer.writeLine(`value: ${value} as tf.Scalar,`);
          if (program.inputs.length === 0) {
            writer.writeLine('grads: {},');
            return;
          }
          writer.write('grads: {').newLine();
          writer.indent(() => {
            program.inputs.forEach((input, i) => writer.writeLine(`${objectKey(input.name)}: ${grads[i]} as ${tensorType(input.shape)},`));
          });
          writer.writeLine('},');
        });
        writer.writeLine('};');
      }),
    },
  ];

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Single,
      useTrailingCommas: true,
    },
  });
  const text = project.createSourceFile('objective.ts', { statements }).getFullText();
  return text.endsWith('\n') ? text : `${text}\n`;
}
