import { access } from 'node:fs/promises';

/** Whether `path` exists (for tests that check what a process left behind). */
export const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );
