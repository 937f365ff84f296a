import type { CpuNode } from './node-placement.ts';

/**
 * What the ONNX executor needs from ONNX Runtime, whichever way it reaches it: a session per
 * graph that reads its inputs from the caller's arrays and delivers its outputs into the caller's
 * arrays. Two ways implement it: ORT's C API called directly (c-api-session.ts, no copies) and
 * onnxruntime-node's JavaScript API (binding-session.ts, which copies every output once more).
 */

/** A graph input or output: a typed array and its dimensions, in row-major order. */
export interface OrtArray {
  readonly name: string;
  readonly data: Float32Array | BigInt64Array;
  readonly dims: readonly number[];
}

/**
 * A value that a run left on the execution provider's device (a GPU buffer) for a later run to
 * read, without a trip through the host. Opaque: only the runtime that made it can use it.
 */
export interface DeviceArray {
  readonly dims: readonly number[];
  /** Frees the device memory; the value must not be used after. */
  dispose(): void;
}

/** A graph input: a host array, or a value an earlier run left on the device. */
export type StageInput = OrtArray | { readonly name: string; readonly device: DeviceArray };

export interface SessionSettings {
  /** Threads inside one op (ORT's intra-op pool); undefined: ORT's choice, one per physical core. */
  readonly threads?: number;
  /** Outputs that stay on the device (a runtime with a device only); the others come to the host. */
  readonly deviceOutputs?: readonly string[];
}

export interface StageSession {
  /**
   * Runs the graph once. Every output named in `outputs` is written into its array, which must
   * have the output's size; the session's device outputs (SessionSettings.deviceOutputs) are
   * returned by name, owned by the caller. ORT's own error (a shape mismatch, a bad index) is
   * thrown as it says it.
   */
  run(inputs: readonly StageInput[], outputs: readonly OrtArray[]): Promise<ReadonlyMap<string, DeviceArray>>;
  /** Frees the native session; the session must not be run afterwards. */
  release(): void;
  /**
   * On a device runtime: the nodes ORT ran on the CPU instead (node-placement.ts), known once
   * the session has run; undefined before, and on the CPU provider.
   */
  cpuNodes?(): readonly CpuNode[] | undefined;
}

/** The way to ONNX Runtime that an executor uses. */
export interface OrtRuntime {
  /** e.g. `onnxruntime 1.30.0 C API`, for the executor's one-line description. */
  readonly description: string;
  createSession(model: Uint8Array, settings: SessionSettings): Promise<StageSession>;
  /** Present when sessions run on a device (WebGPU). */
  readonly device?: {
    /** Copies a host array to the device, for several runs to read. */
    upload(array: Omit<OrtArray, 'name'> & { readonly data: Float32Array }): Promise<DeviceArray>;
    /** Copies a device value into a host array of its size. */
    download(value: DeviceArray, into: Float32Array): Promise<void>;
  };
}

/** ORT refused or failed; the message is its own. */
export class OrtCallError extends Error {
  override name = 'OrtCallError';
}

/** Session options both ways set alike, so that they compute the same floats. */
export const COMMON_CONFIG = {
  /**
   * Idle pool threads sleep instead of spinning: between a program's graphs the host works
   * (eigh, the next batch), and spinning workers take its core (2x slower steps on two cores in
   * npm run bench:train).
   */
  'session.intra_op.allow_spinning': '0',
} as const;
