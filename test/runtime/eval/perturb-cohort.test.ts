import { describe, expect, it } from 'vitest';
import type { Cohort } from '../../../runtime/data/cohort.ts';
import { perturbationsFor, perturbCohort } from '../../../runtime/eval/perturb-cohort.ts';
import { smallCohort, withTempDir } from '../train/helpers.ts';

async function withCohort(body: (cohort: Cohort) => void): Promise<void> {
  await withTempDir(async (dir) => {
    const events = [];
    const notes = [];
    for (const subject of [1, 2]) {
      events.push({ subject, time: null, code: 'SEX//F' });
      for (let i = 0; i < 400; i++) events.push({ subject, time: `2020-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, code: `C${i % 7}` });
      notes.push({ subject, time: '2020-01-02T00:00:00', text: Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ') });
    }
    body(await smallCohort(dir, { events, notes }));
  });
}

const codes = (cohort: Cohort, s: number): string[] => {
  const out: string[] = [];
  for (let e = cohort.subjects.eventOffset[s]; e < cohort.subjects.eventOffset[s + 1]; e++) out.push(cohort.vocabulary.codes[cohort.events.code[e]]);
  return out;
};

describe('perturbed cohorts', () => {
  it('drop about the stated share of timed events of masked subjects only, keeping static facts', async () => {
    await withCohort((cohort) => {
      const mask = Uint8Array.of(0, 1);
      for (const [perturbation, p] of [['codes_10', 0.1], ['codes_30', 0.3]] as const) {
        const damaged = perturbCohort(cohort, perturbation, mask, 7);
        expect(codes(damaged, 0)).toEqual(codes(cohort, 0));
        const kept = codes(damaged, 1);
        expect(kept[0]).toBe('SEX//F');
        // 400 timed events: the dropped count is Binomial(400, p), within 4.5 standard deviations.
        const dropped = 401 - kept.length;
        expect(Math.abs(dropped - 400 * p)).toBeLessThan(4.5 * Math.sqrt(400 * p * (1 - p)));
        // Kept events keep their times and order.
        expect(Array.from(damaged.events.time.subarray(damaged.subjects.eventOffset[1] + 1, damaged.subjects.eventOffset[2])).every((t, i, a) => i === 0 || a[i - 1] <= t)).toBe(true);
        expect(perturbCohort(cohort, perturbation, mask, 7).events.code).toEqual(damaged.events.code);
      }
    });
  });

  it('remove a modality, or about 30% of note words, of masked subjects only', async () => {
    await withCohort((cohort) => {
      const mask = Uint8Array.of(1, 0);
      const noEhr = perturbCohort(cohort, 'modality_missing_E', mask, 1);
      expect(codes(noEhr, 0)).toEqual([]);
      expect(codes(noEhr, 1)).toEqual(codes(cohort, 1));
      const noText = perturbCohort(cohort, 'modality_missing_T', mask, 1);
      expect(noText.subjects.noteOffset[1]).toBe(0);
      expect(noText.notes.text).toEqual([cohort.notes.text[1]]);
      const fewer = perturbCohort(cohort, 'notes_dropped', mask, 1);
      const words = fewer.notes.text[0].split(' ').length;
      expect(Math.abs(200 - words - 60)).toBeLessThan(4.5 * Math.sqrt(200 * 0.3 * 0.7));
      expect(fewer.notes.text[1]).toBe(cohort.notes.text[1]);
    });
  });

  it('apply by modality', () => {
    expect(perturbationsFor('ehr')).toEqual(['codes_10', 'codes_30']);
    expect(perturbationsFor('text')).toEqual(['notes_dropped']);
    expect(perturbationsFor('multimodal')).toHaveLength(5);
  });
});
