import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../../compiler/ops/op-names.ts';
import { opDef, registeredOps } from '../../../compiler/ops/registry.ts';

describe('registry', () => {
  it('has exactly one OpDef for every name in OP_NAMES, and nothing else', () => {
    for (const name of OP_NAMES) {
      expect(registeredOps.filter((def) => def.name === name), name).toHaveLength(1);
      expect(opDef(name).name).toBe(name);
    }
    expect(registeredOps).toHaveLength(OP_NAMES.length);
  });

  it('lists the ops in the order of op-names.ts', () => {
    expect(registeredOps.map((def) => def.name)).toEqual([...OP_NAMES]);
  });

  it('declares no gradient exactly for leaves and piecewise-constant ops', () => {
    const withoutVjp = registeredOps.filter((def) => def.vjp === null).map((def) => def.name);
    expect(withoutVjp.sort()).toEqual(['const', 'dimsize', 'eq', 'eye', 'input', 'sign', 'step', 'stop_gradient'].sort());
  });

  it('marks exactly the commutative ops commutative', () => {
    const commutative = registeredOps.filter((def) => def.facts?.commutative).map((def) => def.name);
    expect(commutative.sort()).toEqual(['add', 'eq', 'maximum', 'minimum', 'mul']);
  });

  it('marks as linear only ops that are linear in every input', () => {
    const linear = registeredOps.filter((def) => def.facts?.linear).map((def) => def.name);
    expect(linear.sort()).toEqual(
      ['add', 'bcast_cols', 'bcast_rows', 'broadcast', 'diag', 'diag_embed', 'neg', 'pad', 'slice', 'sub', 'sum', 'sum_cols', 'sum_rows', 'transpose'].sort(),
    );
  });

  it('gives leaves arity 0, elementwise binary ops arity 2', () => {
    for (const name of ['input', 'const', 'eye', 'dimsize'] as const) expect(opDef(name).arity).toBe(0);
    for (const def of registeredOps.filter((d) => d.facts?.elementwise)) expect([1, 2]).toContain(def.arity);
  });
});
