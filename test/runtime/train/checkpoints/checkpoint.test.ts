import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrayFileName, pruneToLatest, readLatestCheckpoint, writeCheckpoint, type Checkpoint } from '../../../../runtime/train/checkpoints/checkpoint.ts';
import { withTempDir } from '../helpers.ts';

function checkpointAt(step: number): Checkpoint {
  return {
    state: { step, epoch: Math.floor(step / 10), batchInEpoch: step % 10, seed: 3, configHash: 'abc', backend: 'cpu' },
    arrays: new Map([
      ['param:ehr.w1', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, step]) }],
      ['adam.m:ehr.w1', { shape: [2, 3], data: new Float32Array(6).fill(0.5) }],
      ['adam.v:weird/name', { shape: [], data: Float32Array.of(Math.PI) }],
    ]),
  };
}

describe('checkpoints', () => {
  it('round-trip every array bit for bit, and the state', () =>
    withTempDir(async (run) => {
      await writeCheckpoint(run, checkpointAt(12));
      const back = (await readLatestCheckpoint(run))!;
      expect(back.state).toEqual(checkpointAt(12).state);
      for (const [name, t] of checkpointAt(12).arrays) {
        expect(back.arrays.get(name)!.shape).toEqual(t.shape);
        expect(back.arrays.get(name)!.data).toEqual(t.data);
      }
      expect(await readFile(join(run, 'checkpoints', 'latest'), 'utf8')).toBe('step-12\n');
      expect(await readdir(join(run, 'checkpoints', 'step-12'))).toEqual(expect.arrayContaining(['state.json', 'param', 'adam.m', 'adam.v']));
    }));

  it('keeps the last two, and removes folders from after a resume point and leftover temporaries', () =>
    withTempDir(async (run) => {
      for (const step of [5, 10, 15]) await writeCheckpoint(run, checkpointAt(step));
      expect((await readdir(join(run, 'checkpoints'))).sort()).toEqual(['latest', 'step-10', 'step-15']);
      // A kill between renaming step-20 into place and updating `latest`, and a half-written temp folder.
      await mkdir(join(run, 'checkpoints', 'step-20'));
      await mkdir(join(run, 'checkpoints', '.step-25.tmp-999'));
      expect((await readLatestCheckpoint(run))!.state.step).toBe(15);
      await writeCheckpoint(run, checkpointAt(16));
      expect((await readdir(join(run, 'checkpoints'))).sort()).toEqual(['latest', 'step-15', 'step-16']);
    }));

  it('keeps as many as asked: all (Infinity), and after the fact the newest up to `latest`', () =>
    withTempDir(async (run) => {
      const folders = async () => (await readdir(join(run, 'checkpoints'))).filter((f) => f !== 'latest').sort();
      await pruneToLatest(run, 1); // No checkpoint yet: nothing to do.
      for (const step of [5, 10, 15, 20]) await writeCheckpoint(run, checkpointAt(step), Infinity);
      expect(await folders()).toEqual(['step-10', 'step-15', 'step-20', 'step-5']);
      await pruneToLatest(run, 3);
      expect(await folders()).toEqual(['step-10', 'step-15', 'step-20']);
      await pruneToLatest(run, 1);
      expect(await folders()).toEqual(['step-20']);
      expect((await readLatestCheckpoint(run))!.state).toEqual(checkpointAt(20).state);
    }));

  it('replaces a stale folder of the same step', () =>
    withTempDir(async (run) => {
      await mkdir(join(run, 'checkpoints', 'step-7'), { recursive: true });
      await writeFile(join(run, 'checkpoints', 'step-7', 'junk'), 'x');
      await writeCheckpoint(run, checkpointAt(7));
      expect((await readLatestCheckpoint(run))!.state.step).toBe(7);
    }));

  it('reads nothing from a run without checkpoints, and names the file of a damaged one', () =>
    withTempDir(async (run) => {
      expect(await readLatestCheckpoint(run)).toBeUndefined();
      await writeCheckpoint(run, checkpointAt(3));
      const file = join(run, 'checkpoints', 'step-3', arrayFileName('param:ehr.w1'));
      await writeFile(file, 'garbage');
      await expect(readLatestCheckpoint(run)).rejects.toThrow(file);
    }));

  it('escapes unusual characters in file names', () => {
    expect(arrayFileName('param:ehr.w1')).toBe('param/ehr.w1.npy');
    expect(arrayFileName('adam.v:a/b:c')).toBe('adam.v/a%2Fb%3Ac.npy');
  });
});
