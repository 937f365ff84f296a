import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import type { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrError } from '../../../compiler/ir/ir-error.ts';
import type { Node, Program } from '../../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { OP_NAMES } from '../../../compiler/ops/registry.ts';
import { EXAMPLE_SIZES } from '../../helpers/example-arrays.ts';
import { compareGradients, seededUniform } from '../../helpers/finite-diff.ts';
import { OP_EXAMPLES, OP_TESTS } from '../../helpers/op-rows.ts';
import { programFromInputs } from '../../helpers/program-from-inputs.ts';

/**
 * Every op's examples (OP_TESTS[op].examples in test/helpers/op-rows.ts; some ops have one per
 * broadcasting case): the value on small arrays against an independent hand formula, and the
 * gradient of sum(out ⊙ W), W a random extra input, against finite differences (Ridders, every
 * entry and two random directions, relative error <= 1e-6, see compareGradients).
 */

type Row = (typeof OP_EXAMPLES)[number];

function programOf(row: Row): { program: Program; inputs: Map<string, Tensor64>; node: Node; b: IrBuilder } {
  const shapes = Object.fromEntries(Object.entries(row.inputs).map(([name, array]) => [name, array.shape]));
  const { program, b } = programFromInputs(shapes, (builder, x) => ({ out: row.build(builder, x) }));
  const inputs = new Map(
    Object.entries(row.inputs).map(([name, array]) => [name, tensor64(array.shape.map((dim) => (typeof dim === 'number' ? dim : EXAMPLE_SIZES[dim])), array.data)]),
  );
  return { program, inputs, node: program.outputs[0].node, b };
}

const label = (row: Row): string => (row.label === undefined ? row.op : `${row.op} (${row.label})`);

describe('op table: value against a hand formula, gradient against finite differences', () => {
  it('has an example for every op, or says which examples build it', () => {
    const covered = new Set(OP_EXAMPLES.map((row) => row.op));
    const reasons = OP_NAMES.filter((name) => typeof OP_TESTS[name].examples === 'string');
    expect(OP_NAMES.filter((name) => !covered.has(name) && !reasons.includes(name))).toEqual([]);
  });

  for (const row of OP_EXAMPLES) {
    it(`${label(row)}: value`, () => {
      const { program, inputs, node } = programOf(row);
      expect(node.shape).toEqual(row.shape);
      const out = evaluate(program, inputs, inferSizes(program, inputs)).get('out')!;
      if (typeof row.expected === 'function') row.expected(out);
      else {
        expect(out.data.length).toBe(row.expected.length);
        out.data.forEach((x, i) => expect(x).toBeCloseTo((row.expected as number[])[i], 13));
      }
    });

    it(`${label(row)}: gradient`, () => {
      const { program, inputs, node, b } = programOf(row);
      // value = sum(out ⊙ W): W, an extra input of random entries, weighs every output entry.
      const W = b.make('input', [], { name: 'W', shape: node.shape });
      const objective: Program = {
        inputs: [...program.inputs, { name: 'W', shape: node.shape }],
        outputs: [{ name: 'value', node: b.make('sum', [b.make('mul', [node, W])]) }],
      };
      const sizes = inferSizes(program, inputs);
      const uniform = seededUniform(OP_EXAMPLES.indexOf(row) + 1);
      const outShape = node.shape.map((dim) => (typeof dim === 'number' ? dim : sizes.get(dim)!));
      const withW = new Map(inputs);
      withW.set('W', tensor64(outShape, Array.from({ length: outShape.reduce((p, q) => p * q, 1) }, () => 2 * uniform() - 1)));
      const mode = row.gradient ?? 'fd';
      if (mode === 'throws') {
        expect(() => differentiate(objective)).toThrow(IrError);
        return;
      }
      if (mode === 'zero') {
        const outputs = evaluate(differentiate(objective), withW, sizes);
        for (const { name } of program.inputs) expect([...outputs.get(`grad:${name}`)!.data].every((x) => x === 0)).toBe(true);
        return;
      }
      const result = compareGradients(objective, withW, sizes, { directions: 2, entries: true, uniform });
      expect(result.worst, result.where).toBeLessThanOrEqual(1e-6);
    });
  }
});
