import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../../compiler/autodiff.ts';
import type { Executor } from '../../../../runtime/executors/executor.ts';
import { forwardProgram } from '../../../helpers/compile-source.ts';
import { conformanceCases } from '../../../helpers/conformance.ts';
import { loadAllExecutors, relativeError, EXECUTOR_BACKENDS, toFloat32, TOLERANCE } from './helpers.ts';

let executors: Map<string, Executor>;
beforeAll(async () => {
  executors = await loadAllExecutors();
});
afterAll(() => executors?.forEach((e) => e.dispose()));

/** The shared cases (float64 PyTorch answers), compiled and differentiated, run in float32 on tfjs. */
describe.each(EXECUTOR_BACKENDS)('tfjs on %s passes the shared conformance cases within 2e-3', (backend) => {
  for (const c of conformanceCases()) {
    it(c.name, async () => {
      const program = differentiate(forwardProgram(c.source));
      const outputs = await executors.get(backend)!.run(program, toFloat32(c.inputs));
      expect(relativeError(outputs.get('value')!.data, [c.value]), 'value').toBeLessThan(TOLERANCE);
      for (const [name, grad] of c.grads) {
        expect(relativeError(outputs.get(`grad:${name}`)!.data, grad.data), `grad ${name}`).toBeLessThan(TOLERANCE);
      }
    });
  }
});
