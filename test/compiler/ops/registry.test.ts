import { describe, expect, it } from 'vitest';
import { isGraphOp, OP_NAMES, opDef, runsOnHost, selectedPart, type OpName } from '../../../compiler/ops/registry.ts';

const named = (keep: (name: OpName) => boolean) => OP_NAMES.filter(keep).sort();

describe('registry', () => {
  it('gives every name a definition', () => {
    for (const name of OP_NAMES) expect(opDef(name), name).toBeDefined();
  });

  it('declares no gradient exactly for leaves and piecewise-constant ops', () => {
    expect(named((n) => opDef(n).vjp === null)).toEqual(['const', 'dimsize', 'eq', 'eye', 'input', 'sign', 'step', 'stop_gradient'].sort());
  });

  it('marks exactly the commutative ops commutative', () => {
    expect(named((n) => opDef(n).facts?.commutative === true)).toEqual(['add', 'eq', 'maximum', 'minimum', 'mul']);
  });

  it('marks as linear only ops that are linear in every input', () => {
    expect(named((n) => opDef(n).facts?.linear === true)).toEqual(
      ['add', 'bcast_cols', 'bcast_rows', 'broadcast', 'diag', 'diag_embed', 'neg', 'pad', 'slice', 'sub', 'sum', 'sum_cols', 'sum_rows', 'transpose'].sort(),
    );
  });

  it('gives leaves arity 0, elementwise binary ops arity 2', () => {
    for (const name of ['input', 'const', 'eye', 'dimsize'] as const) expect(opDef(name).arity).toBe(0);
    for (const name of named((n) => opDef(n).facts?.elementwise === true)) expect([1, 2]).toContain(opDef(name).arity);
  });

  it('runs exactly eigh on the host, selected by eigvals (part 0) and eigvecs (part 1)', () => {
    expect(named(runsOnHost)).toEqual(['eigh']);
    expect(named((n) => selectedPart(n) !== undefined).map((n) => [n, selectedPart(n)])).toEqual([
      ['eigvals', 0],
      ['eigvecs', 1],
    ]);
    expect(named((n) => !isGraphOp(n))).toEqual(['eigh', 'eigvals', 'eigvecs', 'input']);
  });

  it('gives every host op the shapes of its tuple parts, and no other op', () => {
    for (const name of OP_NAMES) expect(opDef(name).partShapes !== undefined, name).toBe(runsOnHost(name));
    expect(opDef('eigh').partShapes!(['k', 'k'])).toEqual([['k'], ['k', 'k']]);
  });

  it('checks the row ids of exactly the indexing ops', () => {
    const reads = named((n) => (opDef(n).facts?.readsRowIds?.length ?? 0) > 0);
    expect(reads).toEqual(['gather', 'scatter_add', 'segment_pool']);
    for (const name of reads) for (const { input } of opDef(name).facts!.readsRowIds!) expect(input).toBeLessThan(opDef(name).arity);
  });
});
