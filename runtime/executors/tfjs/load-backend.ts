import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { BackendUnavailableError } from '../executor.ts';

/** The TensorFlow.js backends dflc runs on (`auto` is create-executor.ts's, across executors). */
export const TFJS_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type TfjsBackend = (typeof TFJS_BACKENDS)[number];

export interface LoadedBackend {
  readonly backend: TfjsBackend;
  /** The name tfjs registers it under (`tensorflow` for both native packages). */
  readonly tfName: string;
  /** One line for the user, e.g. `wasm (SIMD, 1 thread)`. */
  readonly description: string;
}

/** The optional native packages; names live in variables so that tsc and bundlers never require them. */
const NATIVE_PACKAGES: Readonly<Record<'tensorflow-gpu' | 'tensorflow', string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** Dynamic import of a package that may be absent, without any static reference to it. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;
const importModule: ModuleImporter = (specifier) => import(/* @vite-ignore */ specifier);

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return message.includes(specifier);
  return /cannot find (package|module)|failed to (load|resolve)/i.test(message) && message.includes(specifier);
}

function nativeUnavailable(backend: 'tensorflow-gpu' | 'tensorflow', error: unknown): BackendUnavailableError {
  const pkg = NATIVE_PACKAGES[backend];
  const needs = backend === 'tensorflow-gpu' ? 'an NVIDIA GPU with CUDA and cuDNN, and internet access' : 'internet access';
  const install =
    `install it with \`npm install ${pkg}\` (needs ${needs}: its install downloads libtensorflow), ` +
    `or run with --backend wasm (bundled, no native code)`;
  if (isModuleNotFound(error, pkg)) {
    return new BackendUnavailableError(backend, `--backend ${backend} needs the package ${pkg}, which is not installed; ${install}`, {
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new BackendUnavailableError(backend, `--backend ${backend}: ${pkg} is installed but failed to load (${reason}); ${install}`, {
    cause: error,
  });
}

let wasmPathsSet = false;

/** Points the wasm backend at its .wasm binaries in node_modules (they sit next to its main file). */
async function prepareWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (wasmPathsSet) return;
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  // A directory prefix, not a URL: under Node, Emscripten reads the binary with fs.
  wasm.setWasmPaths(path.dirname(main) + path.sep);
  wasmPathsSet = true;
}

async function activate(backend: TfjsBackend, tfName: string): Promise<void> {
  if (tf.findBackendFactory(tfName) === null) {
    throw new BackendUnavailableError(
      backend,
      `--backend ${backend}: the package loaded, but its backend '${tfName}' is not registered with this copy of ` +
        `@tensorflow/tfjs-core (${tf.version_core}); install a version that matches it`,
    );
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfName);
  } catch (error) {
    throw new BackendUnavailableError(backend, `--backend ${backend}: initialising the tfjs backend '${tfName}' failed: ${String((error as Error)?.message ?? error)}`, {
      cause: error,
    });
  }
  if (!ok) throw new BackendUnavailableError(backend, `--backend ${backend}: initialising the tfjs backend '${tfName}' failed`);
}

async function loadOne(backend: TfjsBackend, importer: ModuleImporter): Promise<{ tfName: string; description: string }> {
  switch (backend) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      try {
        await importer(NATIVE_PACKAGES[backend]);
      } catch (error) {
        throw nativeUnavailable(backend, error);
      }
      await activate(backend, 'tensorflow');
      return { tfName: 'tensorflow', description: `${backend} (${NATIVE_PACKAGES[backend]}, native libtensorflow)` };
    }
    case 'wasm': {
      try {
        await prepareWasm();
      } catch (error) {
        throw new BackendUnavailableError('wasm', `--backend wasm: @tensorflow/tfjs-backend-wasm could not be loaded (${String(error)}); try --backend cpu`, {
          cause: error,
        });
      }
      await activate('wasm', 'wasm');
      const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
      return { tfName: 'wasm', description: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : '1 thread'})` };
    }
    case 'cpu': {
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu', 'cpu');
      // The cpu backend prints a banner advising tfjs-node on its first upload; dflc's own
      // --backend help says that, so silence it (a private flag of MathBackendCPU).
      const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
      if (cpu !== null && 'firstUse' in cpu) cpu.firstUse = false;
      return { tfName: 'cpu', description: 'cpu (pure JavaScript)' };
    }
  }
}

/**
 * Loads and activates a tfjs backend. The native ones (`tensorflow-gpu`, `tensorflow`) are
 * imported only here and only when asked for; when absent, a BackendUnavailableError says how to
 * install them.
 *
 * tfjs has one active backend per process; executors re-activate theirs before each run.
 * `importer` replaces the dynamic import (tests use it to simulate absent packages).
 */
export async function loadTfjsBackend(backend: TfjsBackend, importer: ModuleImporter = importModule): Promise<LoadedBackend> {
  if (!(TFJS_BACKENDS as readonly string[]).includes(backend)) {
    throw new BackendUnavailableError(String(backend), `unknown tfjs backend '${backend}'; choose one of ${TFJS_BACKENDS.join(', ')}`);
  }
  return { backend, ...(await loadOne(backend, importer)) };
}

/** Makes `tfName` the active tfjs backend again if another executor switched it. */
export async function ensureActive(tfName: string): Promise<void> {
  if (tf.engine().backendName !== tfName) {
    if (!(await tf.setBackend(tfName))) throw new BackendUnavailableError(tfName, `the tfjs backend '${tfName}' could not be re-activated`);
  }
}
