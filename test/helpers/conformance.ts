import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tensor64, type Tensor64 } from '../../compiler/ir/tensor.ts';
import { parseNpy } from '../../runtime/io/npy.ts';

/** The conformance cases, copied unchanged into test/fixtures/conformance (its README says whence). */
export const CONFORMANCE_DIR = join(import.meta.dirname, '..', 'fixtures', 'conformance');

export interface ConformanceCase {
  readonly name: string;
  readonly source: string;
  readonly value: number;
  readonly inputs: ReadonlyMap<string, Tensor64>;
  readonly grads: ReadonlyMap<string, Tensor64>;
}

function readTensor(path: string): Tensor64 {
  const array = parseNpy(readFileSync(path));
  return tensor64(array.shape, array.data as Float64Array);
}

export function conformanceCases(): ConformanceCase[] {
  return readdirSync(CONFORMANCE_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map(({ name }) => {
      const dir = join(CONFORMANCE_DIR, name);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { value: number; inputs: string[] };
      return {
        name,
        source: readFileSync(join(dir, 'objective.dfl'), 'utf8'),
        value: expected.value,
        inputs: new Map(expected.inputs.map((input) => [input, readTensor(join(dir, `${input}.npy`))])),
        grads: new Map(expected.inputs.map((input) => [input, readTensor(join(dir, `grad_${input}.npy`))])),
      };
    });
}

export { relativeError } from './relative-error.ts';
