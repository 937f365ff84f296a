import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { sameShape } from '../../../compiler/ir/shape.ts';
import { SIMPLIFY_RULES, simplify } from '../../../compiler/passes/simplify.ts';
import { opsOf, programOf, randomInputs, run, worstDifference } from './fixtures.ts';
import { RULE_SIZES, ruleInputs, SIMPLIFY_CASES } from './rule-cases.ts';

describe('simplify', () => {
  it('has a test case for every rule, and every case names a rule', () => {
    const names = SIMPLIFY_RULES.map((r) => r.name);
    expect(Object.keys(SIMPLIFY_CASES).sort()).toEqual([...names].sort());
    for (const r of SIMPLIFY_RULES) expect(r.identity.length).toBeGreaterThan(0);
  });

  describe.each(SIMPLIFY_RULES.map((r) => [r.name, r.identity] as const))('%s (%s)', (name) => {
    const b = new IrBuilder();
    const node = SIMPLIFY_CASES[name](ruleInputs(b));
    const program = programOf({ out: node });
    const result = simplify(program);

    it('fires', () => {
      expect(result.fired.map((f) => f.rule)).toContain(name);
    });

    it('keeps the shape', () => {
      expect(sameShape(result.program.outputs[0].node.shape, node.shape)).toBe(true);
    });

    it('keeps the value', () => {
      for (let seed = 1; seed <= 3; seed++) {
        const inputs = randomInputs(program, RULE_SIZES, seed);
        const before = run(program, inputs, RULE_SIZES);
        const after = run(result.program, inputs, RULE_SIZES);
        expect(worstDifference(before, after)).toBeLessThanOrEqual(1e-12);
      }
    });
  });

  it('does not touch a program with nothing to simplify', () => {
    const b = new IrBuilder();
    const h = ruleInputs(b);
    const program = programOf({ out: h.m('sum', h.m('exp', h.m('matmul', h.m('transpose', h.X), h.Y))) });
    const result = simplify(program);
    expect(result.fired).toEqual([]);
    expect(opsOf(result.program)).toEqual(opsOf(program));
  });

  it('does not pull a scalar factor out of a scalar (no endless reshuffling)', () => {
    const b = new IrBuilder();
    const h = ruleInputs(b);
    const program = programOf({ out: h.m('sum', h.m('mul', h.S, h.S)) });
    expect(simplify(program).fired.map((f) => f.rule)).not.toContain('sum-scaled');
  });

  it('factors a sum of products only where no product (or inner sum) has another use, so none is computed twice', () => {
    const b = new IrBuilder();
    const { m, X, Y, A } = ruleInputs(b);
    const xa = m('matmul', X, m('transpose', A));
    const inner = m('add', Y, m('matmul', X, A));
    const sum = m('add', inner, xa);
    const count = (outputs: Record<string, typeof X>) => {
      const result = simplify(programOf(outputs));
      return opsOf(result.program).filter((op) => op === 'matmul').length;
    };
    expect(count({ out: sum })).toBe(1);
    expect(count({ out: sum, product: xa })).toBe(2);
    expect(count({ out: sum, inner })).toBe(2);
  });

  it('transposes a sum or a product only where no transpose of an n×d value is added', () => {
    const b = new IrBuilder();
    const { m, X, Y } = ruleInputs(b);
    // (Xᵀ Y)ᵀ would need Xᵀ's and Y's transposes of n×d values: neither rule may fire.
    const fired = (node: typeof X) => simplify(programOf({ out: node })).fired.map((f) => f.rule);
    expect(fired(m('transpose', m('matmul', m('transpose', Y), m('exp', X))))).not.toContain('transpose-matmul-square');
    expect(fired(m('transpose', m('add', m('exp', X), Y)))).not.toContain('transpose-add');
  });

  it('x * 0 with x a matrix and 0 a scalar gives a zero matrix', () => {
    const b = new IrBuilder();
    const h = ruleInputs(b);
    const program = programOf({ out: h.m('mul', h.X, h.c(0)) });
    const out = simplify(program).program.outputs[0].node;
    expect(out.op).toBe('const');
    expect(out.attrs).toEqual({ value: 0, shape: ['n', 'd'] });
  });
});
