import { describe, expect, it } from 'vitest';
import { explain, printProgram } from '../../../compiler/explain.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { topoOrder } from '../../../compiler/ir/node.ts';
import { compileValueAndGrad } from '../../../compiler/pipeline.ts';
import { forwardProgram } from '../../helpers/compile-source.ts';
import { cov, input, programOf, spectrum } from '../passes/fixtures.ts';

describe('printProgram', () => {
  it('prints SSA lines numbered in evaluation order, then the outputs', () => {
    const b = new IrBuilder();
    const z = input(b, 'Z', ['n', 'd']);
    const m = b.make('matmul', [b.make('transpose', [z]), z]);
    const e = b.make('eigh', [m]);
    const program = programOf({ value: b.make('sum', [b.make('pad', [b.make('eigvals', [e])], { length: 'k' })]), vectors: b.make('eigvecs', [e]) });
    expect(printProgram(program)).toBe(
      [
        '%0 = input Z : matrix[n, d]',
        '%1 = transpose %0 : matrix[d, n]',
        '%2 = matmul %1, %0 : matrix[d, d]',
        '%3 = eigh %2 : (vector[d], matrix[d, d])',
        '%4 = eigvals %3 : vector[d]',
        '%5 = pad %4 {length=k} : vector[k]',
        '%6 = sum %5 : scalar',
        '%7 = eigvecs %3 : matrix[d, d]',
        'value = %6',
        'vectors = %7',
      ].join('\n'),
    );
  });

  it('prints leaves with their attributes', () => {
    const b = new IrBuilder();
    const program = programOf({
      value: b.make('add', [b.make('const', [], { value: 0.5, shape: [] }), b.make('sum', [b.make('eye', [], { n: 'd' })])]),
      size: b.make('dimsize', [], { dim: 'n' }),
    });
    const text = printProgram(program);
    expect(text).toContain('= const 0.5 : scalar');
    expect(text).toContain('= eye d : matrix[d, d]');
    expect(text).toContain('= dimsize n : scalar');
  });
});

describe('explain', () => {
  const sizes = new Map([['n', 4], ['d', 6]]);

  it('reports every node, the rewrites and a FLOP estimate for balance2 (no eigh)', () => {
    const result = compileValueAndGrad(forwardProgram('balance2(spectrum(Z))'), { sizes });
    const { text, json } = explain(result.program, result.log, { sizes });
    expect(json.ops).toHaveLength(topoOrder(result.program.outputs.map((o) => o.node)).length);
    expect(json.ops.map((o) => o.op)).not.toContain('eigh');
    expect(json.rewrites).toContain('spectral/sum-eigvals-trace');
    expect(json.rewriteCounts.length).toBe(result.log.length);
    expect(json.flops).toBeGreaterThan(0);
    expect(Number.isInteger(json.flops)).toBe(true);
    expect(json.assumedSizes).toEqual({});
    expect(text).toMatch(/^program \(\d+ nodes\):/);
    expect(text).toMatch(/%\d+ = matmul %\d+, %\d+ : matrix\[\d+, \d+\]/);
    expect(text).toContain('rewrites fired:');
    expect(text).toContain('spectral/sum-eigvals-trace');
    expect(text).toMatch(/cost: \d+ flops/);
  });

  it('names the eigendecomposition node eigh, once, when one is needed', () => {
    const result = compileValueAndGrad(forwardProgram('balance(spectrum(Z))'));
    const { json } = explain(result.program, result.log);
    expect(json.ops.filter((o) => o.op === 'eigh')).toEqual([{ op: 'eigh', shape: ['d', 'd'] }]);
  });

  it('gives a symbolic formula, and a number under documented assumed sizes', () => {
    const b = new IrBuilder();
    const program = programOf({ value: b.make('sum', [spectrum(b, input(b, 'Z', ['n', 'd']))]) });
    // Unoptimised: cov costs 2·d²·n for the product, eigh 9·d³.
    const { text, json } = explain(program, []);
    expect(json.flopsFormula).toMatch(/^2·d²·n \+ 9·d³ \+ /);
    expect(json.assumedSizes).toEqual({ d: 256, n: 4096 });
    expect(json.flops).toBeGreaterThan(9 * 256 ** 3 + 2 * 256 ** 2 * 4096);
    expect(text).toContain('(assuming d=256, n=4096)');
    expect(text).toContain('rewrites fired:\n  (none)');
    // Given sizes win over the assumptions.
    expect(explain(program, [], { sizes: new Map([['n', 10]]) }).json.assumedSizes).toEqual({ d: 256 });
  });

  it('counts a program without eigh far cheaper than one with it at the same sizes', () => {
    const b = new IrBuilder();
    const z = input(b, 'Z', ['n', 'd']);
    const withEigh = programOf({ value: b.make('sum', [spectrum(b, z)]) });
    const trace = programOf({ value: b.make('sum', [b.make('diag', [cov(b, z)])]) });
    const big = new Map([['n', 64], ['d', 256]]);
    expect(explain(withEigh, [], { sizes: big }).json.flops).toBeGreaterThan(explain(trace, [], { sizes: big }).json.flops);
  });
});
