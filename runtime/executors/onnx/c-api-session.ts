import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { COMMON_CONFIG, OrtCallError, type DeviceArray, type OrtRuntime, type SessionSettings, type StageInput, type StageSession } from './ort-session.ts';

type Koffi = typeof import('koffi');
/** An ORT object (OrtEnv*, OrtSession*, OrtValue*, OrtStatus*...), opaque on this side. */
type Handle = object;

/**
 * Positions of the functions used here in ORT's `OrtApi` table (onnxruntime_c_api.h). The table
 * only ever grows at its end, so these hold for every release that offers API_VERSION.
 */
const SLOT = {
  GetErrorMessage: 2,
  CreateEnv: 3,
  CreateSessionFromArray: 8,
  Run: 9,
  CreateSessionOptions: 10,
  SetSessionExecutionMode: 13,
  SetSessionLogSeverityLevel: 22,
  SetSessionGraphOptimizationLevel: 23,
  SetIntraOpNumThreads: 24,
  SetInterOpNumThreads: 25,
  CreateTensorWithDataAsOrtValue: 49,
  CreateCpuMemoryInfo: 69,
  ReleaseStatus: 93,
  ReleaseSession: 95,
  ReleaseValue: 96,
  ReleaseSessionOptions: 100,
  AddSessionConfigEntry: 130,
} as const;
const TABLE_LENGTH = Math.max(...Object.values(SLOT)) + 1;
/** ORT 1.17's API; every slot above is older. */
const API_VERSION = 17;

const ELEMENT_FLOAT = 1;
const ELEMENT_INT64 = 7;
const ARENA_ALLOCATOR = 1;
const MEM_TYPE_DEFAULT = 0;
// ORT's own log stays quiet: every failure reaches the caller as an error carrying ORT's message.
const LOGGING_LEVEL_FATAL = 4;
const ENABLE_ALL_OPTIMIZATIONS = 99;
const SEQUENTIAL = 0;

/** The shared library onnxruntime-node ships for this platform (the one its binding loads). */
const LIBRARY_FILE: Readonly<Partial<Record<string, string>>> = {
  linux: 'libonnxruntime.so.1',
  darwin: 'libonnxruntime.1.dylib',
  win32: 'onnxruntime.dll',
};

function libraryPath(): string {
  const file = LIBRARY_FILE[process.platform];
  if (file === undefined) throw new Error(`no ONNX Runtime library is known for platform ${process.platform}`);
  const packageDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  return join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, file);
}

/** The C functions used, typed; each status-returning one returns null for success. */
function bindFunctions(koffi: Koffi, table: readonly unknown[]) {
  const fn = <A extends unknown[], R>(slot: number, signature: string) => {
    // A decoded function pointer is about 5x cheaper to call than koffi.call with its prototype.
    const call = koffi.decode(table[slot], koffi.proto(signature)) as (...args: unknown[]) => unknown;
    return (...args: A): R => call(...args) as R;
  };
  type Out = [Handle | null];
  return {
    getErrorMessage: fn<[Handle], string>(SLOT.GetErrorMessage, 'const char *dflcOrtGetErrorMessage(void *status)'),
    releaseStatus: fn<[Handle], void>(SLOT.ReleaseStatus, 'void dflcOrtReleaseStatus(void *status)'),
    createEnv: fn<[number, string, Out], Handle | null>(SLOT.CreateEnv, 'void *dflcOrtCreateEnv(int level, const char *id, _Out_ void **env)'),
    createSessionOptions: fn<[Out], Handle | null>(SLOT.CreateSessionOptions, 'void *dflcOrtCreateSessionOptions(_Out_ void **options)'),
    setExecutionMode: fn<[Handle, number], Handle | null>(SLOT.SetSessionExecutionMode, 'void *dflcOrtSetSessionExecutionMode(void *options, int mode)'),
    setLogSeverity: fn<[Handle, number], Handle | null>(SLOT.SetSessionLogSeverityLevel, 'void *dflcOrtSetSessionLogSeverityLevel(void *options, int level)'),
    setOptimization: fn<[Handle, number], Handle | null>(SLOT.SetSessionGraphOptimizationLevel, 'void *dflcOrtSetSessionGraphOptimizationLevel(void *options, int level)'),
    setIntraOpThreads: fn<[Handle, number], Handle | null>(SLOT.SetIntraOpNumThreads, 'void *dflcOrtSetIntraOpNumThreads(void *options, int threads)'),
    setInterOpThreads: fn<[Handle, number], Handle | null>(SLOT.SetInterOpNumThreads, 'void *dflcOrtSetInterOpNumThreads(void *options, int threads)'),
    addConfigEntry: fn<[Handle, string, string], Handle | null>(SLOT.AddSessionConfigEntry, 'void *dflcOrtAddSessionConfigEntry(void *options, const char *key, const char *value)'),
    releaseSessionOptions: fn<[Handle], void>(SLOT.ReleaseSessionOptions, 'void dflcOrtReleaseSessionOptions(void *options)'),
    createSessionFromArray: fn<[Handle, Uint8Array, number, Handle, Out], Handle | null>(
      SLOT.CreateSessionFromArray,
      'void *dflcOrtCreateSessionFromArray(void *env, const void *model, size_t length, void *options, _Out_ void **session)',
    ),
    releaseSession: fn<[Handle], void>(SLOT.ReleaseSession, 'void dflcOrtReleaseSession(void *session)'),
    createCpuMemoryInfo: fn<[number, number, Out], Handle | null>(SLOT.CreateCpuMemoryInfo, 'void *dflcOrtCreateCpuMemoryInfo(int allocator, int memory, _Out_ void **info)'),
    createTensor: fn<[Handle, Float32Array | BigInt64Array, number, BigInt64Array, number, number, Out], Handle | null>(
      SLOT.CreateTensorWithDataAsOrtValue,
      'void *dflcOrtCreateTensorWithDataAsOrtValue(void *info, void *data, size_t bytes, const int64_t *shape, size_t rank, int type, _Out_ void **value)',
    ),
    releaseValue: fn<[Handle], void>(SLOT.ReleaseValue, 'void dflcOrtReleaseValue(void *value)'),
    run: fn<[Handle, null, string[], Handle[], number, string[], number, Handle[]], Handle | null>(
      SLOT.Run,
      'void *dflcOrtRun(void *session, void *options, const char **inputNames, void **inputs, size_t inputCount, const char **outputNames, size_t outputCount, void **outputs)',
    ),
  };
}
type Functions = ReturnType<typeof bindFunctions>;

/**
 * ONNX Runtime through its C API, called with koffi (a foreign-function interface with prebuilt
 * binaries) on the library onnxruntime-node ships. Tensors are made over the caller's arrays, so
 * inputs are read and outputs written in place: no copy on either side, and no garbage for the
 * collector. onnxruntime-node's own binding copies every output into a fresh buffer, which for
 * the EHR bench's 6.6 MB of training state cost 1.4 ms a step, more with the collections it set off.
 */
export async function cApiRuntime(): Promise<OrtRuntime> {
  const loaded = (await import('koffi')) as Koffi & { default?: Koffi };
  const koffi = loaded.default ?? loaded;
  const library = koffi.load(libraryPath());
  const apiBase: unknown = library.func('void *OrtGetApiBase()')();
  const [getApi, getVersion] = koffi.decode(apiBase, koffi.array('void *', 2)) as unknown[];
  const version = koffi.call(getVersion, koffi.proto('const char *dflcOrtGetVersionString()')) as string;
  const table: unknown = koffi.call(getApi, koffi.proto('void *dflcOrtGetApi(uint32_t version)'), API_VERSION);
  if (table === null) throw new Error(`ONNX Runtime ${version} does not offer C API version ${API_VERSION}`);
  const c = bindFunctions(koffi, koffi.decode(table, koffi.array('void *', TABLE_LENGTH)) as unknown[]);

  const check = (status: Handle | null): void => {
    if (status === null) return;
    const message = c.getErrorMessage(status);
    c.releaseStatus(status);
    throw new OrtCallError(message);
  };
  const make = (call: (out: [Handle | null]) => Handle | null): Handle => {
    const out: [Handle | null] = [null];
    check(call(out));
    return out[0]!;
  };
  // One environment for the process (ORT shares it with the binding's, if that is loaded too).
  const env = make((out) => c.createEnv(LOGGING_LEVEL_FATAL, 'dflc', out));
  const memoryInfo = make((out) => c.createCpuMemoryInfo(ARENA_ALLOCATOR, MEM_TYPE_DEFAULT, out));

  return {
    description: `onnxruntime ${version} C API`,
    async createSession(model: Uint8Array, settings: SessionSettings): Promise<StageSession> {
      const options = make((out) => c.createSessionOptions(out));
      let session: Handle;
      try {
        check(c.setExecutionMode(options, SEQUENTIAL));
        check(c.setInterOpThreads(options, 1));
        check(c.setOptimization(options, ENABLE_ALL_OPTIMIZATIONS));
        check(c.setLogSeverity(options, LOGGING_LEVEL_FATAL));
        if (settings.threads !== undefined) check(c.setIntraOpThreads(options, settings.threads));
        for (const [key, value] of Object.entries(COMMON_CONFIG)) check(c.addConfigEntry(options, key, value));
        session = make((out) => c.createSessionFromArray(env, model, model.byteLength, options, out));
      } finally {
        c.releaseSessionOptions(options);
      }
      return cApiSession(c, memoryInfo, check, make, session);
    },
  };
}

const NO_DEVICE_OUTPUTS: ReadonlyMap<string, DeviceArray> = new Map();

function cApiSession(
  c: Functions,
  memoryInfo: Handle,
  check: (status: Handle | null) => void,
  make: (call: (out: [Handle | null]) => Handle | null) => Handle,
  session: Handle,
): StageSession {
  let released = false;
  return {
    async run(inputs, outputs) {
      if (released) throw new OrtCallError('run after release');
      // The values only borrow the arrays, and live only for this synchronous call.
      const values: Handle[] = [];
      const value = (array: StageInput): Handle => {
        // Sessions here run on the CPU provider, which never hands out device values.
        if ('device' in array) throw new OrtCallError(`input '${array.name}' is a device value, which the C API way does not take`);
        const type = array.data instanceof Float32Array ? ELEMENT_FLOAT : ELEMENT_INT64;
        const shape = BigInt64Array.from(array.dims, (d) => BigInt(d));
        const handle = make((out) => c.createTensor(memoryInfo, array.data, array.data.byteLength, shape, array.dims.length, type, out));
        values.push(handle);
        return handle;
      };
      try {
        const inputValues = inputs.map(value);
        const outputValues = outputs.map(value);
        check(
          c.run(
            session,
            null,
            inputs.map((i) => i.name),
            inputValues,
            inputs.length,
            outputs.map((o) => o.name),
            outputs.length,
            outputValues,
          ),
        );
      } finally {
        for (const handle of values) c.releaseValue(handle);
      }
      return NO_DEVICE_OUTPUTS;
    },
    release() {
      if (released) return;
      released = true;
      c.releaseSession(session);
    },
  };
}
