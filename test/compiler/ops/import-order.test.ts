import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { describe, expect, it } from 'vitest';

const OPS_DIR = fileURLToPath(new URL('../../../compiler/ops/', import.meta.url));

/**
 * Each op module must load when it is the first module of a process: an import cycle through the
 * builder (which imports the registry, which imports every op) once made a first `import eigh.ts`
 * crash with "Cannot access 'eigh' before initialization". tsx's tsImport loads each module in a
 * module graph of its own, as a fresh process would, without the cost of one.
 */
describe('op modules', () => {
  it('each loads first in a fresh module graph', async () => {
    const failed: string[] = [];
    for (const file of readdirSync(OPS_DIR).filter((f) => f.endsWith('.ts'))) {
      try {
        await tsImport(OPS_DIR + file, import.meta.url);
      } catch (error) {
        failed.push(`${file}: ${String(error)}`);
      }
    }
    expect(failed).toEqual([]);
  }, 60_000);
});
