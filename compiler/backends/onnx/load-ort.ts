import { BackendUnavailableError } from '../executor.ts';

/** The parts of onnxruntime-node's API that dflc uses, typed here so nothing else imports it statically. */
export type Ort = typeof import('onnxruntime-node');

let loading: Promise<Ort> | undefined;

/**
 * onnxruntime-node, loaded on first use: it is a native addon of about 30 MB, which commands that
 * never execute a program (check, fmt, doc) should not pay for.
 */
export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-node').catch((error: unknown) => {
    loading = undefined;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BackendUnavailableError(
      'onnx',
      `--backend onnx needs the package onnxruntime-node, which failed to load here (${reason}); ` +
        `reinstall it with \`npm install onnxruntime-node\`, or run with --backend wasm (bundled, no native code)`,
      { cause: error },
    );
  });
  return loading;
}
