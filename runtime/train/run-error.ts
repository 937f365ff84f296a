/**
 * A problem with a `dflc run` that the user can fix (the run folder, the settings, the data): the
 * command prints its message as it is, without a stack.
 */
export class RunError extends Error {
  override name = 'RunError';
}
