import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import type { Executor } from '../../../runtime/executors/executor.ts';
import { forwardProgram } from '../../helpers/compile-source.ts';
import { conformanceCases } from '../../helpers/conformance.ts';
import { relativeError, toFloat32, TOLERANCE } from './helpers.ts';

/**
 * The shared cases (float64 PyTorch answers), compiled and differentiated, run in float32 on one
 * executor (tfjs/conformance.test.ts, onnx/conformance.test.ts).
 */
export function conformanceSuite(backend: string, open: () => Promise<Executor>): void {
  describe(`${backend} passes the shared conformance cases within 2e-3`, () => {
    let executor: Executor;
    beforeAll(async () => {
      executor = await open();
    });
    afterAll(() => executor?.dispose());

    for (const c of conformanceCases()) {
      it(c.name, async () => {
        const program = differentiate(forwardProgram(c.source));
        const outputs = await executor.run(program, toFloat32(c.inputs));
        expect(relativeError(outputs.get('value')!.data, [c.value]), 'value').toBeLessThan(TOLERANCE);
        for (const [name, grad] of c.grads) {
          expect(relativeError(outputs.get(`grad:${name}`)!.data, grad.data), `grad ${name}`).toBeLessThan(TOLERANCE);
        }
      });
    }
  });
}
