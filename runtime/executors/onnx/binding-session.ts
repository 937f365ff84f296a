import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { COMMON_CONFIG, OrtCallError, type OrtArray, type OrtRuntime, type SessionSettings, type StageSession } from './ort-session.ts';

/** onnxruntime-node's module, as typed (it is only ever imported dynamically, by load-ort.ts). */
type Ort = typeof import('onnxruntime-node');

/**
 * ONNX Runtime through onnxruntime-node's JavaScript API. Inputs reach ORT without copies and
 * outputs are ORT preallocated outputs, so they land in the caller's arrays; the binding (1.30)
 * still copies each output into a fresh buffer on its way back, which is discarded here. That
 * copy, and the garbage collection it causes, is why the C API way is preferred when it loads.
 */
export function bindingRuntime(ort: Ort): OrtRuntime {
  const tensor = (array: OrtArray): Tensor =>
    array.data instanceof Float32Array ? new ort.Tensor('float32', array.data, [...array.dims]) : new ort.Tensor('int64', array.data, [...array.dims]);
  return {
    description: `onnxruntime-node ${ort.env.versions.common}`,
    async createSession(model: Uint8Array, settings: SessionSettings): Promise<StageSession> {
      const options: InferenceSession.SessionOptions = {
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        interOpNumThreads: 1,
        logSeverityLevel: 4, // fatal only, as on the C API: failures reach the caller as errors
        extra: { session: { intra_op: { allow_spinning: COMMON_CONFIG['session.intra_op.allow_spinning'] } } },
        ...(settings.threads === undefined ? {} : { intraOpNumThreads: settings.threads }),
      };
      let session: InferenceSession;
      try {
        session = await ort.InferenceSession.create(model, options);
      } catch (error) {
        throw new OrtCallError(error instanceof Error ? error.message : String(error), { cause: error });
      }
      return {
        async run(inputs, outputs) {
          const feeds: Record<string, Tensor> = {};
          for (const input of inputs) feeds[input.name] = tensor(input);
          const fetches: Record<string, Tensor> = {};
          for (const output of outputs) fetches[output.name] = tensor(output);
          try {
            await session.run(feeds, fetches);
          } catch (error) {
            throw new OrtCallError(error instanceof Error ? error.message : String(error), { cause: error });
          }
        },
        release() {
          void session.release();
        },
      };
    },
  };
}
