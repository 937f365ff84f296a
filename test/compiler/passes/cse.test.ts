import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../compiler/ir/node.ts';
import { topoOrder } from '../../../compiler/ir/node.ts';
import { cse } from '../../../compiler/passes/cse.ts';
import { input, programOf } from './fixtures.ts';

describe('cse', () => {
  it('merges structurally equal nodes that were not interned together', () => {
    // Hand-made nodes (as a program deserialised or assembled outside a builder might be).
    const z: Node = { id: 0, op: 'input', inputs: [], attrs: { name: 'Z', shape: [2, 2] }, shape: [2, 2] };
    const e1: Node = { id: 1, op: 'exp', inputs: [z], attrs: {}, shape: [2, 2] };
    const e2: Node = { id: 2, op: 'exp', inputs: [z], attrs: {}, shape: [2, 2] };
    const sum: Node = { id: 3, op: 'add', inputs: [e1, e2], attrs: {}, shape: [2, 2] };
    const program: Program = { inputs: [{ name: 'Z', shape: [2, 2] }], outputs: [{ name: 'out', node: sum }] };
    const result = cse(program);
    expect(result.fired).toEqual([{ rule: 'merged-or-dead', count: 1 }]);
    const out = result.program.outputs[0].node;
    expect(out.inputs[0]).toBe(out.inputs[1]);
  });

  it('reports nothing on an interned program, and keeps outputs and inputs', () => {
    const b = new IrBuilder();
    const z = input(b, 'Z', ['n', 'd']);
    const program = programOf({ a: b.make('exp', [z]), b: b.make('sum', [b.make('exp', [z])]) });
    const result = cse(program);
    expect(result.fired).toEqual([]);
    expect(result.program.inputs).toEqual(program.inputs);
    expect(result.program.outputs.map((o) => o.name)).toEqual(['a', 'b']);
    expect(topoOrder(result.program.outputs.map((o) => o.node))).toHaveLength(3);
  });
});
