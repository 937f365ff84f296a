/**
 * How many checkpoints a run keeps (`--keep-checkpoints`). Each is a full copy of the parameters
 * and Adam's moments, so a folder of short runs fills up with copies no one will resume from:
 * `final` (the default) keeps the last two while training, which is what --resume needs, and only
 * the last once the run is complete (resuming it, e.g. with more --steps, starts there); `all`
 * keeps every one; a number N the last N throughout. The older ones go only after `latest`
 * names a newer one (checkpoint.ts), so a kill at any moment still leaves a checkpoint to resume.
 */
export type KeepCheckpoints = 'final' | 'all' | number;

export function keptWhileTraining(keep: KeepCheckpoints): number {
  return keep === 'all' ? Infinity : keep === 'final' ? 2 : keep;
}

export function keptOnceComplete(keep: KeepCheckpoints): number {
  return keep === 'final' ? 1 : keptWhileTraining(keep);
}
