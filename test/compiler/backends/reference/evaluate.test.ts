import { describe, expect, it, vi } from 'vitest';
import { BindingError, evaluate, evaluateNodes, inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import { IrError } from '../../../../compiler/ir/ir-error.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import { tensor64 } from '../../../../compiler/ir/tensor.ts';
import { ELEMENTWISE_OPS } from '../../../../compiler/ops/elementwise-ops.ts';

/** cov-like objective over two inputs of one stream: Z [n, d] and Z_t+1 [n, d]. */
function twoInputs(): { program: Program; b: IrBuilder } {
  const b = new IrBuilder();
  const z = b.make('input', [], { name: 'Z', shape: ['n', 'd'] });
  const next = b.make('input', [], { name: 'Z_t+1', shape: ['n', 'd'] });
  const diff = b.make('sub', [z, next]);
  const value = b.make('sum', [b.make('matmul', [b.make('transpose', [diff]), diff])]);
  return {
    b,
    program: {
      inputs: [
        { name: 'Z', shape: ['n', 'd'] },
        { name: 'Z_t+1', shape: ['n', 'd'] },
      ],
      outputs: [{ name: 'value', node: value }],
    },
  };
}

describe('reference backend: evaluate', () => {
  it('evaluates a program and returns outputs by name', () => {
    const { program } = twoInputs();
    const inputs = new Map([
      ['Z', tensor64([2, 2], [1, 2, 3, 4])],
      ['Z_t+1', tensor64([2, 2], [0, 1, 1, 1])],
    ]);
    // D = Z - Z_t+1 = [[1, 1], [2, 3]], and the sum of all entries of DᵀD is Σ_r (Σ_c D_rc)².
    const out = evaluate(program, inputs, inferSizes(program, inputs));
    expect([...out.keys()]).toEqual(['value']);
    expect(out.get('value')!.data[0]).toBe((1 + 1) ** 2 + (2 + 3) ** 2);
  });

  it('evaluates each node once, however often it is used', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'x', shape: [3] });
    const e = b.make('exp', [x]);
    const value = b.make('sum', [b.make('mul', [b.make('add', [e, e]), e])]);
    const program: Program = { inputs: [{ name: 'x', shape: [3] }], outputs: [{ name: 'value', node: value }] };
    const spy = vi.spyOn(ELEMENTWISE_OPS.exp, 'evaluate');
    try {
      evaluate(program, new Map([['x', tensor64([3], [0, 1, 2])]]), new Map());
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('evaluateNodes gives every node value, eigh as a [values, vectors] tuple', () => {
    const b = new IrBuilder();
    const m = b.make('input', [], { name: 'M', shape: [2, 2] });
    const e = b.make('eigh', [m]);
    const value = b.make('sum', [b.make('eigvals', [e])]);
    const program: Program = { inputs: [{ name: 'M', shape: [2, 2] }], outputs: [{ name: 'value', node: value }] };
    const values = evaluateNodes(program, new Map([['M', tensor64([2, 2], [2, 0, 0, 5])]]), new Map());
    const tuple = values.get(e.id) as readonly { data: Float64Array }[];
    expect(Array.from(tuple[0].data)).toEqual([5, 2]);
    expect(values.size).toBe(4);
  });

  it('refuses a tuple as an output', () => {
    const b = new IrBuilder();
    const m = b.make('input', [], { name: 'M', shape: [2, 2] });
    const program: Program = { inputs: [{ name: 'M', shape: [2, 2] }], outputs: [{ name: 'e', node: b.make('eigh', [m]) }] };
    expect(() => evaluate(program, new Map([['M', tensor64([2, 2], [1, 0, 0, 1])]]), new Map())).toThrow(IrError);
  });
});

describe('reference backend: inferSizes and bindings', () => {
  const { program } = twoInputs();

  it('reads symbolic sizes from the arrays, n < d included', () => {
    const inputs = new Map([
      ['Z', tensor64([2, 5])],
      ['Z_t+1', tensor64([2, 5])],
    ]);
    expect(inferSizes(program, inputs)).toEqual(new Map([['n', 2], ['d', 5]]));
  });

  it('names both inputs and the dimension when sizes disagree', () => {
    const inputs = new Map([
      ['Z', tensor64([4, 8])],
      ['Z_t+1', tensor64([4, 6])],
    ]);
    expect(() => inferSizes(program, inputs)).toThrow(BindingError);
    expect(() => inferSizes(program, inputs)).toThrow("input 'Z_t+1' gives d = 6, but d is 8 in input 'Z'");
  });

  it('lists what the program needs when inputs are missing or extra', () => {
    const missing = new Map([['Z', tensor64([2, 2])]]);
    expect(() => inferSizes(program, missing)).toThrow(
      'missing input Z_t+1: the objective needs Z matrix[n, d], Z_t+1 matrix[n, d]',
    );
    const extra = new Map([
      ['Z', tensor64([2, 2])],
      ['Z_t+1', tensor64([2, 2])],
      ['W', tensor64([2, 2])],
      ['V', tensor64([1])],
    ]);
    expect(() => inferSizes(program, extra)).toThrow('unexpected inputs W, V: the objective needs Z matrix[n, d], Z_t+1 matrix[n, d]');
    expect(() => evaluate(program, extra, new Map([['n', 2], ['d', 2]]))).toThrow(BindingError);
  });

  it('refuses arrays of the wrong rank or of the wrong numeric size', () => {
    expect(() => inferSizes(program, new Map([['Z', tensor64([4])], ['Z_t+1', tensor64([4, 2])]]))).toThrow(
      "input 'Z' should be matrix[n, d], got an array of shape [4]",
    );
    const b = new IrBuilder();
    const w = b.make('input', [], { name: 'W', shape: ['d', 3] });
    const fixed: Program = { inputs: [{ name: 'W', shape: ['d', 3] }], outputs: [{ name: 'value', node: b.make('sum', [w]) }] };
    expect(() => inferSizes(fixed, new Map([['W', tensor64([2, 4])]]))).toThrow("input 'W' should be matrix[d, 3], got an array of shape [2, 4]");
  });

  it('evaluate checks the arrays against the sizes it is given', () => {
    const inputs = new Map([
      ['Z', tensor64([2, 3])],
      ['Z_t+1', tensor64([2, 3])],
    ]);
    expect(() => evaluate(program, inputs, new Map([['n', 2], ['d', 4]]))).toThrow(
      "input 'Z' gives d = 3, but d is 4 in the given sizes",
    );
    expect(() => evaluate(program, inputs, new Map([['n', 2]]))).toThrow('dimension d of the inputs has no size among the sizes given');
  });
});
