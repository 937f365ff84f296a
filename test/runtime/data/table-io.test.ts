import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../../runtime/data/meds-schema.ts';
import type { ColumnData, TableBatch } from '../../../runtime/data/table-batch.ts';
import { readTable } from '../../../runtime/data/table-reader.ts';
import { encodeTable } from '../../../runtime/data/table-writer.ts';
import { withTempDir } from './helpers.ts';

const SPECS: readonly ColumnSpec[] = [
  { name: 'id', kind: 'integer', required: true, nullable: false },
  { name: 'when', kind: 'timestamp', required: true, nullable: true },
  { name: 'x', kind: 'float', required: true, nullable: true },
  { name: 'label', kind: 'string', required: true, nullable: true },
  { name: 'flag', kind: 'boolean', required: true, nullable: true },
  { name: 'tags', kind: 'string-list', required: true, nullable: true },
];

const row = fc.record({
  id: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  when: fc.option(fc.integer({ min: -2e15, max: 4e15 }), { nil: NaN }),
  x: fc.option(fc.float({ noNaN: true, noDefaultInfinity: true }), { nil: NaN }),
  // CSV cannot tell an empty string from null, so strings here are non-empty.
  label: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
  flag: fc.constantFrom(-1, 0, 1),
  tags: fc.option(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), { nil: null }),
});

type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

function toColumns(rows: Row[]): Map<string, ColumnData> {
  return new Map<string, ColumnData>([
    ['id', Float64Array.from(rows, (r) => r.id)],
    ['when', Float64Array.from(rows, (r) => r.when)],
    ['x', Float64Array.from(rows, (r) => (Number.isNaN(r.x) ? NaN : Math.fround(r.x)))],
    ['label', rows.map((r) => r.label)],
    ['flag', Int8Array.from(rows, (r) => r.flag)],
    ['tags', rows.map((r) => r.tags)],
  ]);
}

async function readAll(file: string): Promise<Map<string, unknown[]>> {
  const out = new Map<string, unknown[]>(SPECS.map((s) => [s.name, []]));
  for await (const batch of readTable(file, SPECS)) {
    for (const [name, values] of (batch as TableBatch).columns) out.get(name)!.push(...Array.from(values as ArrayLike<unknown>));
  }
  return out;
}

describe('table writer and readers', () => {
  for (const format of ['parquet', 'csv', 'jsonl'] as const) {
    it(`round-trips every column kind through ${format}`, async () => {
      await withTempDir(async (dir) => {
        await fc.assert(
          fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
            const columns = toColumns(rows);
            const file = join(dir, `t.${format}`);
            await writeFile(file, encodeTable(format, SPECS, columns));
            const back = await readAll(file);
            for (const spec of SPECS) {
              const expected = Array.from(columns.get(spec.name) as ArrayLike<unknown>);
              // `-0` may come back as 0 (CSV always writes it so); compare numerically, -0 = 0.
              const numeric = (values: readonly unknown[]) => values.map((v) => (Object.is(v, -0) ? 0 : v));
              expect(numeric(back.get(spec.name)!), spec.name).toEqual(numeric(expected));
            }
          }),
          { numRuns: 15 },
        );
      });
    });
  }

  it('writes MEDS parquet types: int64, timestamp[us], float32, string, bool, list<string>', async () => {
    const { parquetMetadata, parquetSchema } = await import('hyparquet');
    const bytes = encodeTable('parquet', SPECS, toColumns([{ id: 1, when: 5, x: 1.5, label: 'a', flag: 1, tags: ['t'] }]));
    const schema = parquetSchema(parquetMetadata(bytes.buffer as ArrayBuffer));
    const { describeParquetType } = await import('../../../runtime/data/parquet-table.ts');
    expect(schema.children.map((c) => `${c.element.name}:${describeParquetType(c)}`)).toEqual([
      'id:int64',
      'when:timestamp[us]',
      'x:float32',
      'label:string',
      'flag:bool',
      'tags:list',
    ]);
  });
});
