import { BackendUnavailableError } from '../executor.ts';
import { bindingRuntime } from './binding-session.ts';
import { cApiRuntime } from './c-api-session.ts';
import type { OrtRuntime } from './ort-session.ts';

/** How the executor reaches ONNX Runtime: its C API (no copies) or onnxruntime-node's JavaScript API. */
export type OrtWay = 'c-api' | 'binding';
export const ORT_WAYS: readonly OrtWay[] = ['c-api', 'binding'];

/**
 * onnxruntime-node's JavaScript API, imported on first use: it is a native addon of about 30 MB,
 * which commands that never execute a program (check, fmt, doc) should not pay for.
 */
function bindingWay(): Promise<OrtRuntime> {
  return import('onnxruntime-node').then(bindingRuntime, (error: unknown) => {
    throw new BackendUnavailableError(
      'onnx',
      `--backend onnx needs the package onnxruntime-node, which failed to load here (${firstLine(error)}); ` +
        `reinstall it with \`npm install onnxruntime-node\`, or run with --backend wasm (bundled, no native code)`,
      { cause: error },
    );
  });
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

const runtimes = new Map<OrtWay, Promise<OrtRuntime>>();

function load(way: OrtWay): Promise<OrtRuntime> {
  let runtime = runtimes.get(way);
  if (runtime === undefined) {
    // A way that failed to load fails again (same library, same machine), and the C API's
    // prototypes can be declared to koffi only once: both are loaded at most once.
    runtime = way === 'binding' ? bindingWay() : cApiRuntime();
    runtimes.set(way, runtime);
  }
  return runtime;
}

/**
 * The way to ONNX Runtime: `way` if given (an error if it cannot load), otherwise the C API,
 * falling back to onnxruntime-node's JavaScript API (same library, same results, slower) with the
 * reason in the description. `load` loads one way (the real loader outside tests).
 */
export async function pickOrtRuntime(way: OrtWay | undefined, load: (way: OrtWay) => Promise<OrtRuntime>): Promise<OrtRuntime> {
  if (way === 'binding') return load('binding');
  try {
    return await load('c-api');
  } catch (error) {
    if (way === 'c-api') {
      throw new BackendUnavailableError('onnx', `ONNX Runtime's C API could not be reached through koffi (${firstLine(error)})`, { cause: error });
    }
    const binding = await load('binding');
    return { ...binding, description: `${binding.description}; C API unavailable: ${firstLine(error)}` };
  }
}

export function loadOrtRuntime(way?: OrtWay): Promise<OrtRuntime> {
  return pickOrtRuntime(way, load);
}
