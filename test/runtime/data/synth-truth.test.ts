import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../../runtime/io/npy.ts';
import { readLabels } from '../../../runtime/data/labels-reader.ts';
import { readCohort } from '../../../runtime/data/meds-reader.ts';
import { MICROS_PER_DAY } from '../../../runtime/data/time.ts';
import { DIM, DYNAMICS, LATENT_SIZE } from '../../../runtime/data/synth/latent-model.ts';
import { deriveOutcome, OUTCOME_TASKS, taskDirections } from '../../../runtime/data/synth/outcomes.ts';
import { simulateSubject, type SyntheticSubject } from '../../../runtime/data/synth/simulate-subject.ts';
import { synthVocabulary } from '../../../runtime/data/synth/vocabulary.ts';
import { FIXTURE_DIR } from './helpers.ts';

/** Area under the ROC curve of `score` for binary `y` (ties count half). */
function auc(score: readonly number[], y: readonly number[]): number {
  const order = score.map((s, i) => [s, y[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (order[k][1] === 1) {
      rankSum += rank;
      positives++;
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const cohortOf = (n: number, seed: number): SyntheticSubject[] => Array.from({ length: n }, (_, i) => simulateSubject(seed, i));

describe('the synthetic cohort ground truth', () => {
  it('is deterministic per (seed, index) and different across seeds', () => {
    const a = simulateSubject(11, 3);
    expect(simulateSubject(11, 3)).toEqual(a);
    expect(simulateSubject(12, 3).time).not.toEqual(a.time);
  });

  it('evolves by a stable linear dynamic: the disease, acute and slow block of A decays', () => {
    const dynamic = [...Array(LATENT_SIZE).keys()].filter((d) => d !== DIM.age && d !== DIM.sex && d !== DIM.deprivation);
    // ||A_dd^k|| -> 0 iff the spectral radius is below 1; 2^12 months is plenty.
    let m = dynamic.map((i) => dynamic.map((j) => DYNAMICS.a[i * LATENT_SIZE + j]));
    for (let step = 0; step < 12; step++) m = m.map((row) => row.map((_, j) => row.reduce((s, x, k) => s + x * m[k][j], 0)));
    expect(Math.max(...m.flat().map(Math.abs))).toBeLessThan(1e-6);
  });

  it('writes labels that the events confirm, by each task\'s derivation rule', async () => {
    const cohort = await readCohort(FIXTURE_DIR);
    const tasks = await readLabels(join(FIXTURE_DIR, 'labels'));
    let checked = 0;
    for (const task of tasks) {
      for (let i = 0; i < task.count; i++) {
        const s = cohort.subjects.indexOf.get(task.subjectId[i])!;
        const [a, b] = [cohort.subjects.eventOffset[s], cohort.subjects.eventOffset[s + 1]];
        const view = {
          time: cohort.events.time.subarray(a, b),
          code: Array.from(cohort.events.code.subarray(a, b), (c) => cohort.vocabulary.codes[c]),
          value: cohort.events.value.subarray(a, b),
        };
        expect(deriveOutcome(task.name, view, task.predictionTime[i]), `${task.name} subject ${task.subjectId[i]}`).toBe(task.value[i]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('labels agree with the events on many seeds too (in memory)', () => {
    const codes = synthVocabulary().codes;
    for (const subject of cohortOf(300, 99)) {
      const view = { time: subject.time, code: Array.from(subject.code, (c) => codes[c]), value: subject.value };
      OUTCOME_TASKS.forEach((task, k) => {
        const derived = deriveOutcome(task.name, view, subject.predictionTime);
        expect(derived ?? -1, `${task.name} subject ${subject.id}`).toBe(subject.labels[k]);
      });
    }
  });

  it('drives each task by its own direction: the own direction predicts it, the others transfer worse', () => {
    const subjects = cohortOf(1500, 2024);
    const directions = taskDirections();
    const score = (s: SyntheticSubject, j: number): number => {
      let x = 0;
      for (let d = 0; d < LATENT_SIZE; d++) x += directions[j * LATENT_SIZE + d] * s.latentAtPrediction[d];
      return x;
    };
    OUTCOME_TASKS.forEach((task, k) => {
      const labelled = subjects.filter((s) => s.labels[k] >= 0);
      const y = labelled.map((s) => s.labels[k]);
      const own = auc(labelled.map((s) => score(s, k)), y);
      const others = OUTCOME_TASKS.map((_, j) => j)
        .filter((j) => j !== k)
        .map((j) => auc(labelled.map((s) => score(s, j)), y));
      expect(own, task.name).toBeGreaterThan(0.8);
      // A representation collapsed onto another task's direction loses most of the signal.
      expect(Math.max(...others), task.name).toBeLessThan(own - 0.1);
      expect(others.reduce((a, b) => a + b, 0) / others.length, task.name).toBeLessThan(own - 0.2);
    });
    const directionGram = OUTCOME_TASKS.flatMap((_, i) =>
      OUTCOME_TASKS.map((_, j) => (i === j ? 0 : Math.abs([...Array(LATENT_SIZE).keys()].reduce((s, d) => s + directions[i * LATENT_SIZE + d] * directions[j * LATENT_SIZE + d], 0)))),
    );
    expect(Math.max(...directionGram)).toBeLessThan(0.35);
  });

  it('has long-tailed code frequencies, irregular visit times and state-dependent notes', async () => {
    const cohort = await readCohort(FIXTURE_DIR);
    const counts = Array.from(cohort.vocabulary.counts).filter((c) => c > 0).sort((a, b) => b - a);
    const total = counts.reduce((a, b) => a + b, 0);
    const top = counts.slice(0, Math.ceil(counts.length * 0.05)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.4);
    expect(counts.filter((c) => c <= 3).length / counts.length).toBeGreaterThan(0.25);

    const visit = new Set(['VISIT//OUTPATIENT', 'VISIT//ED', 'VISIT//INPATIENT'].map((c) => cohort.vocabulary.indexOf.get(c)));
    const gaps: number[] = [];
    for (let s = 0; s < cohort.subjects.count; s++) {
      let last = NaN;
      for (let i = cohort.subjects.eventOffset[s]; i < cohort.subjects.eventOffset[s + 1]; i++) {
        if (!visit.has(cohort.events.code[i])) continue;
        if (!Number.isNaN(last)) gaps.push((cohort.events.time[i] - last) / MICROS_PER_DAY);
        last = cohort.events.time[i];
      }
    }
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.8);

    const text = cohort.notes.text.join('\n');
    for (const phrase of [/\bDenies\b/, /\bNo\b/, /\bc\/o\b/, /\bh\/o\b/, /\bSOB\b|shortness of breath/, /A\/P:/]) expect(text).toMatch(phrase);
    // Notes mention COPD far more often for subjects with a high pulmonary state.
    const latent = parseNpy(new Uint8Array(await readFile(join(FIXTURE_DIR, 'truth', 'latent_at_prediction.npy'))));
    const ids = parseNpy(new Uint8Array(await readFile(join(FIXTURE_DIR, 'truth', 'subject_ids.npy'))));
    const pulmonary = new Map(Array.from(ids.data as BigInt64Array, (id, i) => [Number(id), (latent.data as Float32Array)[i * LATENT_SIZE + DIM.pulmonary]]));
    const mentions = (high: boolean): number => {
      let subjects = 0;
      let hits = 0;
      for (let s = 0; s < cohort.subjects.count; s++) {
        if (pulmonary.get(cohort.subjects.id[s])! > 1.2 !== high) continue;
        subjects++;
        const notes = cohort.notes.text.slice(cohort.subjects.noteOffset[s], cohort.subjects.noteOffset[s + 1]).join(' ');
        if (/COPD|chronic obstructive/.test(notes)) hits++;
      }
      return hits / Math.max(1, subjects);
    };
    expect(mentions(true)).toBeGreaterThan(mentions(false) + 0.3);
  });
});
