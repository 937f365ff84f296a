import { BackendUnavailableError, type Executor } from './executor.ts';
import { hostEighSolver } from './host/host-eigh.ts';
import { float32EngineRoutine } from './host/lapack-eigh.ts';
import { ORT_WAYS, type OrtWay } from './onnx/load-ort.ts';
import { OnnxExecutor } from './onnx/onnx-executor.ts';
import { CPU_FALLBACKS, type CpuFallback } from './onnx/node-placement.ts';
import type { ModuleImporter } from './tfjs/load-backend.ts';
import { TfjsExecutor } from './tfjs/tfjs-executor.ts';

/** What `--backend` accepts, in the order `auto` tries them (best first). */
export const BACKEND_CHOICES = ['auto', 'tensorflow-gpu', 'onnx-webgpu', 'tensorflow', 'onnx', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

/**
 * `auto`'s order. ONNX Runtime comes before tfjs-wasm: its CPU kernels are native and
 * multi-threaded (npm run bench:train measures both), and it ships with dflc; tfjs's native
 * packages come first when a user has installed them (a GPU for tensorflow-gpu). A GPU through
 * ORT's WebGPU provider comes before the CPU backends, but `auto` takes it only on a hardware
 * adapter (webgpu-runtime.ts): a software one is slower than the CPU.
 */
export const AUTO_ORDER: readonly ConcreteBackend[] = ['tensorflow-gpu', 'onnx-webgpu', 'tensorflow', 'onnx', 'wasm', 'cpu'];

export interface CreatedExecutor {
  readonly executor: Executor;
  /**
   * One line for the user: the engine, the eigensolver its `eigh` nodes run on the host, and for
   * `auto` what it skipped and why.
   */
  readonly description: string;
}

export interface CreateExecutorOptions {
  /** ONNX Runtime's intra-op threads (default: its own choice). */
  readonly threads?: number;
  /** Replaces the dynamic import of tfjs's optional native packages (tests). */
  readonly importer?: ModuleImporter;
  /**
   * How the onnx backend reaches ONNX Runtime (load-ort.ts). Default: the environment variable
   * DFLC_ONNX_WAY (`c-api` or `binding`) if set, else the C API with the binding as fallback. The
   * variable is the escape hatch for a machine where the C API misbehaves.
   */
  readonly onnxWay?: OrtWay;
}

/**
 * DFLC_WEBGPU_FALLBACK, checked: `refuse` makes onnx-webgpu fail on a graph node the WebGPU
 * provider lacks instead of warning and running it on the CPU (onnx-executor.ts).
 */
export function cpuFallbackFromEnvironment(value: string | undefined): CpuFallback | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(CPU_FALLBACKS as readonly string[]).includes(value)) {
    throw new BackendUnavailableError('onnx-webgpu', `DFLC_WEBGPU_FALLBACK must be one of ${CPU_FALLBACKS.join(', ')}, not '${value}'`);
  }
  return value as CpuFallback;
}

/** DFLC_ONNX_WAY, checked. */
function onnxWayFromEnvironment(value: string | undefined): OrtWay | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(ORT_WAYS as readonly string[]).includes(value)) {
    throw new BackendUnavailableError('onnx', `DFLC_ONNX_WAY must be one of ${ORT_WAYS.join(', ')}, not '${value}'`);
  }
  return value as OrtWay;
}

async function createOne(backend: ConcreteBackend, options: CreateExecutorOptions, auto: boolean): Promise<{ executor: Executor; description: string }> {
  const { executor, description } = await createEngine(backend, options, auto);
  return { executor, description: `${description}; eigh: ${hostEighSolver(float32EngineRoutine())}` };
}

async function createEngine(backend: ConcreteBackend, options: CreateExecutorOptions, auto: boolean): Promise<{ executor: Executor; description: string }> {
  if (backend === 'onnx-webgpu') {
    const cpuFallback = cpuFallbackFromEnvironment(process.env.DFLC_WEBGPU_FALLBACK);
    const executor = await OnnxExecutor.create({ provider: 'webgpu', auto, ...(cpuFallback === undefined ? {} : { cpuFallback }) });
    return { executor, description: executor.description };
  }
  if (backend === 'onnx') {
    const way = options.onnxWay ?? onnxWayFromEnvironment(process.env.DFLC_ONNX_WAY);
    const executor = await OnnxExecutor.create({
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(way === undefined ? {} : { way }),
    });
    return { executor, description: executor.description };
  }
  const executor = await TfjsExecutor.create(backend, options.importer);
  return { executor, description: `tfjs ${executor.loaded.description}` };
}

/** The executor for `--backend choice`; `auto` takes the first of AUTO_ORDER that loads. */
export async function createExecutor(choice: BackendChoice = 'auto', options: CreateExecutorOptions = {}): Promise<CreatedExecutor> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new BackendUnavailableError(String(choice), `unknown backend '${choice}'; choose one of ${BACKEND_CHOICES.join(', ')}`);
  }
  if (choice !== 'auto') return createOne(choice, options, false);
  const skipped: string[] = [];
  for (const backend of AUTO_ORDER) {
    try {
      const { executor, description } = await createOne(backend, options, true);
      return { executor, description: skipped.length === 0 ? description : `${description}; auto skipped ${skipped.join(', ')}` };
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      skipped.push(`${backend} (${error.message.split(';')[0].replace(/^--backend \S+ /, '')})`);
    }
  }
  throw new BackendUnavailableError('auto', `no backend could be loaded: ${skipped.join(', ')}`);
}
