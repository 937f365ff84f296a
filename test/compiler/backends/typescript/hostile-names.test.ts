import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { emitModule } from '../../../../compiler/backends/typescript/emit-module.ts';
import { FLOAT32_EPSILON } from '../../../../compiler/surface/guards.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../../compiler/ir/node.ts';
import type { Dim } from '../../../../compiler/ir/shape.ts';
import type { Tensor64 } from '../../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { checkObjective } from '../../../../runtime/objective.ts';
import {
  importModule,
  makeTempDir,
  randomMatrix,
  reference,
  relativeError,
  seeded,
  STRICTER,
  toTensors,
  TOLERANCE,
  typeCheck,
  useCpuBackend,
  writeModule,
} from './helpers.ts';

/**
 * Names that DFL itself allows but that collide with JavaScript, with the module's own names or
 * with each other once sanitised; and a source whose comments try to close the doc comment.
 */
const DFL_SOURCE = `# */ closes nothing here; \`backticks\`, \${template} and /* stay text */
input tf, inputs, constructor, n, t3, Float32Array, INPUTS, objective, hostEigh, a_tp1 : [n, d]
input a_t+1, Z_t-2, Z_t+1, Z_tp1 : [n, d]
balance(spectrum(tf)) + fro2(inputs - constructor) / rows(n) + consistent(a_t+1, a_tp1) +
  mean(square(Z_t-2 - Z_t+1)) + ortho(t3 + Float32Array) + mean(INPUTS * objective) + mean(hostEigh) + mean(n * Z_tp1)
`;

/** Names no DFL source can spell, for programs built directly in IR: the generator must not care. */
const IR_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  "it's",
  'say "hi"',
  'x*/y',
  '/* open',
  'back`tick${1}',
  'line\nbreak',
  'para\u2028sep',
  '',
  '0abc',
  't3',
  'tf',
  'a b',
  'ünï',
  '\\',
  'Z_t+1',
  'Z_tp1',
];
/** Dimension names are user text too. */
const IR_DIMS: readonly Dim[] = ['__proto__', "it's */ n"];

/**
 * A forward program over `names`, each a matrix[dims]: a weighted sum of squares of every input,
 * divided by a dimension's size, plus the largest eigenvalue of the first input's Gram matrix (so
 * that `hostEigh` is called with a dimension named by the user).
 */
function irForward(names: readonly string[], dims: readonly Dim[]): Program {
  const b = new IrBuilder();
  const scalar = (value: number) => b.make('const', [], { value, shape: [] });
  const inputs = names.map((name) => b.make('input', [], { name, shape: dims }));
  let value: Node = b.make('div', [scalar(0), b.make('dimsize', [], { dim: dims[0] })]);
  inputs.forEach((x, i) => {
    value = b.make('add', [value, b.make('mul', [scalar(i + 1), b.make('sum', [b.make('square', [x])])])]);
  });
  const gram = b.make('matmul', [b.make('transpose', [inputs[0]]), inputs[0]]);
  value = b.make('add', [value, b.make('max', [b.make('eigvals', [b.make('eigh', [gram])])])]);
  value = b.make('div', [value, b.make('dimsize', [], { dim: dims[1] })]);
  return { inputs: names.map((name) => ({ name, shape: dims })), outputs: [{ name: 'value', node: value }] };
}

interface Hostile {
  readonly name: string;
  readonly program: Program;
  readonly inputs: Map<string, Tensor64>;
  readonly text: string;
  path?: string;
}

function randomInputs(program: Program, sizes: ReadonlyMap<Dim, number>, seed: number): Map<string, Tensor64> {
  const random = seeded(seed);
  return new Map(program.inputs.map(({ name, shape }) => [name, randomMatrix(sizes.get(shape[0])!, sizes.get(shape[1])!, random)]));
}

const temp = makeTempDir();
const hostile: Hostile[] = [];

beforeAll(async () => {
  const checked = checkObjective('hostile.dfl', DFL_SOURCE, FLOAT32_EPSILON);
  if (checked.program === undefined) throw new Error(checked.diagnostics.map((d) => d.message).join('\n'));
  const dfl = compileValueAndGrad(checked.program);
  hostile.push({
    name: 'DFL names',
    program: dfl.program,
    inputs: randomInputs(dfl.program, new Map([['n', 9], ['d', 4]]), 5),
    text: emitModule(dfl.program, { source: DFL_SOURCE, file: 'hostile */ `name`.dfl', log: dfl.log }),
  });
  const ir = compileValueAndGrad(irForward(IR_NAMES, IR_DIMS)).program;
  hostile.push({
    name: 'IR names',
    program: ir,
    inputs: randomInputs(ir, new Map([[IR_DIMS[0], 5], [IR_DIMS[1], 3]]), 6),
    text: emitModule(ir, { source: 'no source */ but `this`\r\nand ${that}\u2028', file: '*/' }),
  });
  for (const [i, h] of hostile.entries()) h.path = writeModule(temp.dir, `hostile${i}`, h.text);
  await useCpuBackend();
});
afterAll(() => temp.remove());

describe('hostile names', () => {
  it("type-check under the project's tsconfig plus stricter options, with zero diagnostics", () => {
    expect(typeCheck(hostile.map((h) => h.path!), STRICTER)).toEqual([]);
  });

  it.each(['DFL names', 'IR names'])('%s: run and match the reference, with every name a key of grads', async (which) => {
    const h = hostile.find((x) => x.name === which)!;
    const module = await importModule(h.path!);
    const names = h.program.inputs.map((i) => i.name);
    expect(module.INPUTS.map((i) => i.name)).toEqual(names);
    const want = reference(h.program, h.inputs);
    const tensors = toTensors(h.inputs);
    const result = module.valueAndGrad(tensors);
    expect(relativeError(result.value.dataSync(), want.get('value')!.data)).toBeLessThan(TOLERANCE);
    // Own properties, `__proto__` included: the object's prototype is untouched.
    expect(Object.keys(result.grads).sort()).toEqual([...names].sort());
    expect(Object.getPrototypeOf(result.grads)).toBe(Object.prototype);
    for (const name of names) {
      expect(relativeError(result.grads[name].dataSync(), want.get(`grad:${name}`)!.data), `grad ${JSON.stringify(name)}`).toBeLessThan(TOLERANCE);
    }
    const value = module.objective(tensors);
    expect(value.dataSync()[0]).toBe(result.value.dataSync()[0]);
    tf.dispose([value, result.value, ...Object.values(result.grads), ...Object.values(tensors)]);
  });

  it('keep the doc comment closed: the only */ in the header is its end', () => {
    for (const h of hostile) {
      const first = h.text.indexOf('*/');
      expect(h.text.slice(first + 2)).toMatch(/^\nimport \* as tf from '@tensorflow\/tfjs-core';/);
      expect(h.text.slice(0, first)).toContain('*\\/');
    }
  });

  it('give sanitised, distinct locals: Z_t+1 and Z_tp1, a_t+1 and a_tp1, and the module names are kept apart', () => {
    const text = hostile[0].text;
    expect(text).toContain("const Z_tp1: tf.Tensor = inputs['Z_t+1'];");
    expect(text).toContain('const Z_tp1_2: tf.Tensor = inputs.Z_tp1;');
    expect(text).toContain('const a_tp1: tf.Tensor = inputs.a_tp1;');
    expect(text).toContain("const a_tp1_2: tf.Tensor = inputs['a_t+1'];");
    expect(text).toContain("const Z_tm2: tf.Tensor = inputs['Z_t-2'];");
    for (const reserved of ['tf', 'inputs', 't3', 'Float32Array', 'INPUTS', 'objective', 'hostEigh', 'n']) {
      expect(text).toContain(`const ${reserved}_2: tf.Tensor = inputs.${reserved};`);
    }
    expect(text).toContain("readonly 'Z_t+1': tf.Tensor2D;");
  });

  it('reach a module as data only, whatever the strings (property)', () => {
    const names = fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 8 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(names, fc.string({ unit: 'binary', maxLength: 40 }), (inputNames, source) => {
        const b = new IrBuilder();
        let value: Node = b.make('const', [], { value: 0, shape: [] });
        for (const name of inputNames) {
          value = b.make('add', [value, b.make('sum', [b.make('square', [b.make('input', [], { name, shape: ['n', 'd'] })])])]);
        }
        const forward: Program = { inputs: inputNames.map((name) => ({ name, shape: ['n', 'd'] })), outputs: [{ name: 'value', node: value }] };
        const text = emitModule(compileValueAndGrad(forward).program, { source, file: source });
        const read = readBack(text);
        expect(read.syntaxErrors).toEqual([]);
        expect(read.interfaceKeys).toEqual(inputNames);
        expect(read.signatureNames).toEqual(inputNames);
        expect(read.gradKeys).toEqual(inputNames);
        expect(read.header.replace(/\*\\\//g, '*/')).toContain(source.replace(/\r\n?|[\u2028\u2029]/g, '\n').split('\n')[0].trimEnd());
      }),
      { numRuns: 40 },
    );
  });
});

/** What a module says about its names, read back through the TypeScript parser. */
function readBack(text: string) {
  const { diagnostics } = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const file = ts.createSourceFile('m.ts', text, ts.ScriptTarget.ES2022, true);
  const keyText = (name: ts.PropertyName): string => {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
    throw new Error(`unexpected key ${name.getText()}`);
  };
  let interfaceKeys: string[] = [];
  let signatureNames: string[] = [];
  let gradKeys: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'ObjectiveInputs') {
      interfaceKeys = node.members.map((m) => keyText(m.name!));
    }
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'INPUTS' && node.initializer && ts.isArrayLiteralExpression(node.initializer)) {
      signatureNames = node.initializer.elements.map((e) => {
        const name = (e as ts.ObjectLiteralExpression).properties.find((p) => p.name?.getText() === 'name') as ts.PropertyAssignment;
        return (name.initializer as ts.StringLiteral).text;
      });
    }
    if (ts.isPropertyAssignment(node) && node.name.getText() === 'grads' && ts.isObjectLiteralExpression(node.initializer)) {
      gradKeys = node.initializer.properties.map((p) => keyText(p.name!));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const comment = ts.getLeadingCommentRanges(text, 0) ?? [];
  return {
    syntaxErrors: (diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    interfaceKeys,
    signatureNames,
    gradKeys,
    header: comment.length === 1 ? text.slice(comment[0].pos, comment[0].end) : `${comment.length} leading comments`,
  };
}

