import { mkdtemp } from 'node:fs/promises';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeModel } from '../../../compiler/backends/onnx/onnx-model.ts';
import { cpuNodesOfProfile, type CpuNode } from './node-placement.ts';
import { COMMON_CONFIG, OrtCallError, type DeviceArray, type OrtArray, type OrtRuntime, type SessionSettings, type StageInput, type StageSession } from './ort-session.ts';

/** onnxruntime-node's module, as typed (it is only ever imported dynamically, by load-ort.ts). */
type Ort = typeof import('onnxruntime-node');

/** Where sessions run: ORT's CPU provider, or its WebGPU provider (Dawn over Vulkan, Metal or D3D12). */
export type ExecutionProvider = 'cpu' | 'webgpu';

/** A tensor ORT keeps in a GPU buffer (the binding's `gpu-buffer` location). */
class BindingDeviceArray implements DeviceArray {
  constructor(readonly tensor: Tensor) {}
  get dims(): readonly number[] {
    return this.tensor.dims;
  }
  dispose(): void {
    this.tensor.dispose();
  }
}

/** A graph copying its float input `x` (of rank `rank`) to its output `y`. */
export function identityModel(rank: number): Uint8Array {
  const shape = Array.from({ length: rank }, (_, i) => `d${i}`);
  return encodeModel({
    name: 'dflc_identity',
    nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    inputs: [{ name: 'x', type: 'float', shape }],
    outputs: [{ name: 'y', type: 'float', shape }],
    initializers: [],
  });
}

function ortError(error: unknown): OrtCallError {
  return new OrtCallError(error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * ONNX Runtime through onnxruntime-node's JavaScript API. On the CPU provider, inputs reach ORT
 * without copies and outputs are ORT preallocated outputs, so they land in the caller's arrays;
 * the binding (1.30) still copies each output into a fresh buffer on its way back, which is
 * discarded here. That copy, and the garbage collection it causes, is why the C API way is
 * preferred when it loads. On the WebGPU provider the session's device outputs stay in GPU
 * buffers (`preferredOutputLocation: 'gpu-buffer'`) and are fed back as inputs as they are; the
 * binding ignores preallocated host outputs there, so host outputs are copied into the caller's.
 */
export function bindingRuntime(ort: Ort, provider: ExecutionProvider = 'cpu'): OrtRuntime {
  const hostTensor = (array: OrtArray): Tensor =>
    array.data instanceof Float32Array ? new ort.Tensor('float32', array.data, [...array.dims]) : new ort.Tensor('int64', array.data, [...array.dims]);
  const feed = (input: StageInput): Tensor => {
    if (!('device' in input)) return hostTensor(input);
    if (!(input.device instanceof BindingDeviceArray)) throw new OrtCallError(`input '${input.name}' is a device value of another runtime`);
    return input.device.tensor;
  };
  const baseOptions: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    interOpNumThreads: 1,
    logSeverityLevel: 4, // fatal only, as on the C API: failures reach the caller as errors
    extra: { session: { intra_op: { allow_spinning: COMMON_CONFIG['session.intra_op.allow_spinning'] } } },
    ...(provider === 'webgpu' ? { executionProviders: ['webgpu'] } : {}),
  };
  const open = async (model: Uint8Array, options: InferenceSession.SessionOptions): Promise<InferenceSession> => {
    try {
      return await ort.InferenceSession.create(model, options);
    } catch (error) {
      throw ortError(error);
    }
  };

  // Transfers go through Identity graphs, one whose output stays on the device (uploads) and one
  // whose output comes to the host (downloads): reading a GPU tensor's data directly
  // (Tensor.getData) aborts the process in onnxruntime-node 1.30.
  const identities = new Map<string, Promise<InferenceSession>>();
  const identity = (rank: number, to: 'gpu-buffer' | 'cpu'): Promise<InferenceSession> => {
    const key = `${rank} ${to}`;
    let session = identities.get(key);
    if (session === undefined) {
      session = open(identityModel(rank), { ...baseOptions, preferredOutputLocation: to });
      identities.set(key, session);
    }
    return session;
  };

  return {
    description: `onnxruntime-node ${ort.env.versions.common}`,
    async createSession(model: Uint8Array, settings: SessionSettings): Promise<StageSession> {
      const deviceOutputs = provider === 'webgpu' ? (settings.deviceOutputs ?? []) : [];
      // On WebGPU the first run is profiled, for the provider of each node (node-placement.ts);
      // ending the profile then stops it, so later runs cost nothing more.
      const profile = provider === 'webgpu' ? await mkdtemp(join(tmpdir(), 'dflc-ort-profile-')) : undefined;
      let session: InferenceSession;
      try {
        session = await open(model, {
          ...baseOptions,
          ...(settings.threads === undefined ? {} : { intraOpNumThreads: settings.threads }),
          ...(deviceOutputs.length === 0 ? {} : { preferredOutputLocation: Object.fromEntries(deviceOutputs.map((name) => [name, 'gpu-buffer' as const])) }),
          ...(profile === undefined ? {} : { enableProfiling: true, profileFilePrefix: join(profile, 'run') }),
        });
      } catch (error) {
        if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
        throw error;
      }
      let cpuNodes: CpuNode[] | undefined;
      /** Ends the profile and reads which nodes ran on the CPU; the profile's folder goes. */
      const readPlacement = (): CpuNode[] => {
        try {
          session.endProfiling();
          return readdirSync(profile!).flatMap((file) => cpuNodesOfProfile(readFileSync(join(profile!, file), 'utf8')));
        } finally {
          rmSync(profile!, { recursive: true, force: true });
        }
      };
      return {
        async run(inputs, outputs) {
          const feeds: Record<string, Tensor> = {};
          for (const input of inputs) feeds[input.name] = feed(input);
          const devices = new Map<string, DeviceArray>();
          try {
            if (provider === 'cpu') {
              const fetches: Record<string, Tensor> = {};
              for (const output of outputs) fetches[output.name] = hostTensor(output);
              await session.run(feeds, fetches);
            } else {
              const results = await session.run(feeds, [...outputs.map((o) => o.name), ...deviceOutputs]);
              for (const output of outputs) (output.data as Float32Array).set(results[output.name].data as Float32Array);
              for (const name of deviceOutputs) devices.set(name, new BindingDeviceArray(results[name]));
            }
          } catch (error) {
            throw ortError(error);
          }
          if (profile !== undefined && cpuNodes === undefined) cpuNodes = readPlacement();
          return devices;
        },
        release() {
          if (profile !== undefined && cpuNodes === undefined) rmSync(profile, { recursive: true, force: true });
          void session.release();
        },
        cpuNodes: () => cpuNodes,
      };
    },
    ...(provider === 'cpu'
      ? {}
      : {
          device: {
            async upload(array: { readonly data: Float32Array; readonly dims: readonly number[] }): Promise<DeviceArray> {
              const session = await identity(array.dims.length, 'gpu-buffer');
              try {
                const { y } = await session.run({ x: new ort.Tensor('float32', array.data, [...array.dims]) });
                return new BindingDeviceArray(y);
              } catch (error) {
                throw ortError(error);
              }
            },
            async download(value: DeviceArray, into: Float32Array): Promise<void> {
              if (!(value instanceof BindingDeviceArray)) throw new OrtCallError('download: a device value of another runtime');
              const session = await identity(value.dims.length, 'cpu');
              try {
                const { y } = await session.run({ x: value.tensor });
                into.set(y.data as Float32Array);
              } catch (error) {
                throw ortError(error);
              }
            },
          },
        }),
  };
}
