import { describe, expect, it } from 'vitest';
import { hasTorch, runBench } from './peer-python.ts';

/**
 * bench/train_torch.py is a hand-written copy of the EHR encoder, the card's objective and Adam.
 * If the model or the stdlib changes and the copy does not, `npm run bench:train` compares
 * against a different computation; these runs of the bench at toy sizes catch that: the losses of
 * steps 1..3 must agree (the bench exits 1 otherwise). Skipped where Debian's PyTorch is absent.
 */
function bench(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const toy = ['--hidden', '16', '--code-rows', '64', '--lab-features', '4', '--events', '5', '--batches', '2'];
  const quick = ['--rounds', '1', '--warmup', '0', '--steps', '1', '--backends', 'wasm', '--torch-threads', '1', '--profile-steps', '0'];
  return runBench('train.ts', [...toy, ...quick, ...args]);
}

describe.runIf(hasTorch())('bench:train PyTorch peer', () => {
  it('agrees with dflc on the loss of the first steps (batch > dim)', async () => {
    const { code, stdout, stderr } = await bench(['--batch', '16', '--dim', '8']);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/max relative difference \S+ \(tolerance 0\.001\): agree/);
    expect(code).toBe(0);
  });

  it('agrees when the batch is narrower than the embedding (dual form, zero eigenvalues, guards)', async () => {
    const { code, stdout } = await bench(['--batch', '8', '--dim', '16']);
    expect(stdout).toMatch(/: agree/);
    expect(code).toBe(0);
  });
});
