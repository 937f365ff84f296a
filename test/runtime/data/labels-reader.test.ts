import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabels } from '../../../runtime/data/labels-reader.ts';
import { MEDS_LABEL_COLUMNS } from '../../../runtime/data/meds-schema.ts';
import { encodeTable } from '../../../runtime/data/table-writer.ts';
import { writeFiles } from './dataset-builder.ts';
import { FIXTURE_DIR, withTempDir } from './helpers.ts';

describe('readLabels', () => {
  it('reads one task per file and per folder of shards, in name order, null labels as -1', async () => {
    await withTempDir(async (dir) => {
      const shard = (ids: number[], values: number[]): Uint8Array =>
        encodeTable(
          'parquet',
          MEDS_LABEL_COLUMNS,
          new Map<string, Float64Array | Int8Array>([
            ['subject_id', Float64Array.from(ids)],
            ['prediction_time', Float64Array.from(ids, (i) => i * 1e6)],
            ['boolean_value', Int8Array.from(values)],
          ]),
        );
      await writeFiles(dir, {
        'labels/readmission/0.parquet': shard([1, 2], [1, 0]),
        'labels/readmission/1.parquet': shard([3], [-1]),
        'labels/death.csv': 'subject_id,prediction_time,boolean_value\n1,2020-01-01,true\n2,2020-01-01,\n',
        'labels/notes.txt': 'ignored',
      });
      const tasks = await readLabels(join(dir, 'labels'));
      expect(tasks.map((t) => t.name)).toEqual(['death', 'readmission']);
      expect(Array.from(tasks[0].value)).toEqual([1, -1]);
      expect(Array.from(tasks[1].subjectId)).toEqual([1, 2, 3]);
      expect(Array.from(tasks[1].value)).toEqual([1, 0, -1]);
      expect(tasks[1].files).toHaveLength(2);
      expect(await readLabels(join(dir, 'nothing'))).toEqual([]);
    });
  });

  it('reads the fixture tasks', async () => {
    const tasks = await readLabels(join(FIXTURE_DIR, 'labels'));
    expect(tasks.length).toBeGreaterThanOrEqual(5);
    for (const t of tasks) {
      expect(t.count).toBeGreaterThan(50);
      const positives = t.value.reduce((a, b) => a + b, 0);
      expect(positives).toBeGreaterThan(0);
      expect(positives).toBeLessThan(t.count);
    }
  });
});
