import { describe, expect, it } from 'vitest';
import { buildWindows } from '../../../../runtime/data/windows.ts';
import { codeRowsOf, codeTableRows, fitCodeTable } from '../../../../runtime/train/features/code-table.ts';
import { featurizerHash, featurizerSizes, fitFeaturizer, parseFeaturizer } from '../../../../runtime/train/features/featurizer.ts';
import { fnv1a, fnvBucket } from '../../../../runtime/train/features/fnv1a.ts';
import { fitLabFeatures, LAB_CLIP, normaliseLab } from '../../../../runtime/train/features/lab-features.ts';
import { hashTokens, tokenize } from '../../../../runtime/train/features/text-tokens.ts';
import { trainSubjects } from '../../../../runtime/train/data/train-subjects.ts';
import { WindowEncoder } from '../../../../runtime/train/features/window-encoder.ts';
import { smallCohort, withTempDir } from '../helpers.ts';

describe('fnv1a', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the published FNV-1a 32-bit value', (text, hash) => {
    expect(fnv1a(text)).toBe(hash);
  });

  it('hashes non-ASCII text by its UTF-8 bytes', () => {
    // 'é' is C3 A9 in UTF-8.
    let h = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) h = Math.imul(h ^ byte, 0x01000193);
    expect(fnv1a('é')).toBe(h >>> 0);
    expect(fnvBucket('é', 7)).toBe((h >>> 0) % 7);
  });
});

describe('tokenize', () => {
  it('gives words, word bigrams and bounded character trigrams, lowercased', () => {
    expect(tokenize('COPD, f/u')).toEqual(['w:copd', 'b:copd f', 'c:#co', 'c:cop', 'c:opd', 'c:pd#', 'w:f', 'b:f u', 'c:#f#', 'w:u', 'c:#u#']);
  });

  it('hashes tokens into rows with their counts', () => {
    const { ids, counts } = hashTokens('pain pain pain', 1 << 20);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(tokenize('pain pain pain').length);
    expect([...ids]).toEqual([...ids].sort((a, b) => a - b));
    expect(Math.max(...counts)).toBe(3);
  });
});

const EVENTS = [
  { subject: 1, time: null, code: 'SEX//F' },
  { subject: 1, time: '2020-01-01', code: 'A' },
  { subject: 1, time: '2020-01-20', code: 'A' },
  { subject: 1, time: '2020-01-30', code: 'LAB', value: 10 },
  { subject: 1, time: '2020-01-30', code: 'LAB', value: 20 },
  { subject: 1, time: '2020-06-01', code: 'B' },
  { subject: 2, time: '2020-01-01', code: 'A' },
  { subject: 2, time: '2020-01-05', code: 'LAB', value: 30 },
  { subject: 2, time: '2020-01-06', code: 'C' },
  // Subject 3 is held out: its codes must not shape the table.
  { subject: 3, time: '2020-01-01', code: 'RARE' },
  { subject: 3, time: '2020-01-02', code: 'RARE' },
  { subject: 3, time: '2020-01-03', code: 'RARE' },
  { subject: 3, time: '2020-01-03', code: 'LAB', value: 1000 },
];
const SPLITS = { 1: 'train', 2: 'train', 3: 'held_out' } as const;

describe('fitting on the train split', () => {
  it('keeps the most frequent training codes, ties by code, and hashes every other code', () =>
    withTempDir(async (dir) => {
      const cohort = await smallCohort(dir, { events: EVENTS, splits: SPLITS });
      const train = trainSubjects(cohort);
      expect(train.count).toBe(2);
      const table = fitCodeTable(cohort, train.mask, { maxCodes: 2, buckets: 5 });
      expect(table.kept).toEqual(['A', 'LAB']); // A 3, LAB 3 (ties by code), then B, C, SEX//F once each
      expect(codeTableRows(table)).toBe(7);
      const rows = codeRowsOf(table, ['A', 'LAB', 'RARE', 'never-seen']);
      expect([...rows.slice(0, 2)]).toEqual([0, 1]);
      expect(rows[2]).toBe(2 + fnvBucket('RARE', 5));
      expect(rows[3]).toBe(2 + fnvBucket('never-seen', 5));
    }));

  it('normalises lab values by the training mean and deviation, clipped', () =>
    withTempDir(async (dir) => {
      const cohort = await smallCohort(dir, { events: EVENTS, splits: SPLITS });
      const labs = fitLabFeatures(cohort, trainSubjects(cohort).mask, 4);
      expect(labs.codes).toEqual(['LAB']);
      expect(labs.mean[0]).toBeCloseTo(20, 12); // 10, 20, 30: the held-out 1000 is not seen
      expect(labs.std[0]).toBeCloseTo(Math.sqrt(200 / 3), 12);
      expect(normaliseLab(labs, 0, 30)).toBeCloseTo(10 / Math.sqrt(200 / 3), 6);
      expect(normaliseLab(labs, 0, 1000)).toBe(LAB_CLIP);
    }));

  it('trains on every subject of a dataset without splits', () =>
    withTempDir(async (dir) => {
      const cohort = await smallCohort(dir, { events: EVENTS });
      const train = trainSubjects(cohort);
      expect(train).toMatchObject({ count: 3, unsplit: true });
    }));

  it('round-trips through JSON with the same hash, and sizes the model', () =>
    withTempDir(async (dir) => {
      const cohort = await smallCohort(dir, { events: EVENTS, splits: SPLITS });
      const f = fitFeaturizer(cohort, trainSubjects(cohort).mask, { maxCodes: 3, codeBuckets: 4, textRows: 64 });
      const back = parseFeaturizer(JSON.stringify(f), 'featurizer.json');
      expect(featurizerHash(back)).toBe(featurizerHash(f));
      expect(featurizerSizes(f)).toEqual({ codeRows: 7, labFeatures: 1, textRows: 64 });
      expect(() => parseFeaturizer('{"format": "other"}', 'x.json')).toThrow(/x\.json: not a dflc featurizer/);
    }));
});

describe('WindowEncoder', () => {
  it('pools a window with time-decay weights summing to 1, static events included, and mean lab values', () =>
    withTempDir(async (dir) => {
      const cohort = await smallCohort(dir, { events: EVENTS, splits: SPLITS });
      const windows = buildWindows(cohort, { widthDays: 90 });
      const f = fitFeaturizer(cohort, trainSubjects(cohort).mask, { maxCodes: 10, codeBuckets: 2, tauDays: 30 });
      const encoder = new WindowEncoder(f, cohort, windows);
      const s1 = cohort.subjects.indexOf.get(1)!;
      const w = windows.subjectOffset[s1]; // the first window holds Jan 1 .. Jan 30
      const fields = encoder.encode('ehr', [w]);
      const ids = [...fields.get('code_ids')!.data];
      const weights = [...fields.get('code_weights')!.data];
      expect(fields.get('code_rows')!.data.every((r) => r === 0)).toBe(true);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      const row = (code: string) => f.codes.kept.indexOf(code);
      expect(new Set(ids)).toEqual(new Set([row('A'), row('LAB'), row('SEX//F')]));
      // Relative weights: A at Jan 1 and Jan 20, LAB twice at Jan 30, SEX as if at the window start.
      const end = windows.end[w];
      const decay = (iso: string) => Math.exp(-(end - Date.parse(`${iso}Z`) * 1000) / (30 * 86_400e6));
      const raw = { A: decay('2020-01-01') + decay('2020-01-20'), LAB: 2 * decay('2020-01-30'), SEX: Math.exp(-3) };
      const total = raw.A + raw.LAB + raw.SEX;
      expect(weights[ids.indexOf(row('A'))]).toBeCloseTo(raw.A / total, 6);
      expect(weights[ids.indexOf(row('LAB'))]).toBeCloseTo(raw.LAB / total, 6);
      const labs = fields.get('labs')!;
      expect(labs.shape).toEqual([1, 1]);
      // Mean of the normalised 10 and 20 = normalised 15.
      expect(labs.data[0]).toBeCloseTo((15 - f.labs.mean[0]) / f.labs.std[0], 5);
    }));

  it('lays out the lists of several rows, tokens of notes too, and gives an empty window no entries', () =>
    withTempDir(async (dir) => {
      const cohort = await smallCohort(dir, {
        events: [...EVENTS, { subject: 1, time: '2021-01-01', code: 'B' }],
        splits: SPLITS,
        notes: [
          { subject: 1, time: '2020-01-02', text: 'Chest pain.' },
          { subject: 1, time: '2020-01-03', text: 'chest pain resolved' },
        ],
      });
      const windows = buildWindows(cohort, { widthDays: 90 });
      const f = fitFeaturizer(cohort, trainSubjects(cohort).mask, { textRows: 1 << 16 });
      const encoder = new WindowEncoder(f, cohort, windows);
      const s1 = cohort.subjects.indexOf.get(1)!;
      const first = windows.subjectOffset[s1];
      const empty = first + 2; // (Jun 28, Sep 26] 2020: between the June and the January events
      expect(windows.eventEnd[empty]).toBe(windows.eventStart[empty]);
      const fields = encoder.encode('multimodal', [first, empty, first]);
      const codeRows = [...fields.get('code_rows')!.data];
      expect(new Set(codeRows)).toEqual(new Set([0, 1, 2]));
      expect(codeRows.filter((r) => r === 1).length).toBe(1); // only the static SEX event
      expect([...fields.get('labs')!.data.subarray(1, 2)]).toEqual([0]);
      const tokRows = [...fields.get('tok_rows')!.data];
      expect(tokRows.filter((r) => r === 1)).toEqual([]);
      const tokWeights = fields.get('tok_weights')!.data;
      const row0 = tokRows.flatMap((r, i) => (r === 0 ? [tokWeights[i]] : []));
      expect(row0.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(fields.get('tok_ids')!.data.length).toBe(tokRows.length);
      expect(encoder.encode('text', [first]).has('code_ids')).toBe(false);
    }));
});
