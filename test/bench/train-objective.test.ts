import { describe, expect, it } from 'vitest';
import { runBench } from './peer-python.ts';

/**
 * `npm run bench:train -- --objective vicreg,supervised` at toy sizes: each objective's params
 * train on the executor, the bench says there is no PyTorch peer rather than timing another
 * model, and what a step reads back is the scalars only (loss, terms, one gradient norm per
 * parameter), never the parameters: the counts below come from the objective files (vicreg.dfl: 4
 * terms, 4 params; supervised.dfl: 1 term, 2 params) and the encoder's 6 parameters.
 */
describe('bench:train --objective', () => {
  it('times vicreg and supervised without a PyTorch peer and reads back scalars only', async () => {
    const toy = ['--batch', '16', '--dim', '8', '--hidden', '16', '--code-rows', '64', '--lab-features', '4', '--events', '5', '--batches', '2'];
    const quick = ['--rounds', '1', '--warmup', '0', '--steps', '1', '--backends', 'wasm', '--profile-steps', '0'];
    const { code, stdout } = await runBench('train.ts', [...toy, ...quick, '--objective', 'vicreg,supervised']);
    expect(code).toBe(0);
    expect(stdout).toContain('objective vicreg (examples/baselines/vicreg.dfl): no PyTorch peer');
    expect(stdout).toContain('objective supervised (examples/baselines/supervised.dfl): no PyTorch peer');
    expect(stdout).not.toMatch(/PyTorch \d/);
    const readBack = (name: string) => Number(new RegExp(`^${name} .*no PyTorch peer +\\d+ +(\\d+) +\\d+$`, 'm').exec(stdout)?.[1]);
    expect(readBack('vicreg')).toBe(4 * (1 + 4 + 6 + 4));
    expect(readBack('supervised')).toBe(4 * (1 + 1 + 6 + 2));
    expect(stdout).toMatch(/10 parameters, 4 of them the objective's/);
  });

  it('names the objectives it knows when given another', async () => {
    const { code, stderr } = await runBench('train.ts', ['--objective', 'barlow']);
    expect(code).toBe(1);
    expect(stderr).toContain('--objective: a list of card, vicreg, supervised, got barlow');
  });

  it('refuses a JSON summary for more than one objective', async () => {
    const { code, stderr } = await runBench('train.ts', ['--objective', 'card,vicreg', '--json', '/dev/null']);
    expect(code).toBe(1);
    expect(stderr).toContain('--json and --dims take one --objective at a time');
  });
});
