import { describe, expect, it } from 'vitest';
import { differentiate } from '../../compiler/autodiff.ts';
import { evaluate, inferSizes } from '../../compiler/backends/reference/evaluate.ts';
import { forwardProgram } from '../helpers/compile-source.ts';
import { conformanceCases, relativeError } from '../helpers/conformance.ts';

describe('float64 reference backend passes the shared conformance cases', () => {
  for (const c of conformanceCases()) {
    it(c.name, () => {
      const program = differentiate(forwardProgram(c.source));
      const outputs = evaluate(program, c.inputs, inferSizes(program, c.inputs));
      expect(relativeError(outputs.get('value')!.data, [c.value])).toBeLessThanOrEqual(1e-6);
      for (const [name, grad] of c.grads) {
        expect(relativeError(outputs.get(`grad:${name}`)!.data, grad.data), `grad ${name}`).toBeLessThanOrEqual(1e-6);
      }
    });
  }
});
