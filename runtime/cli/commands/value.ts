import { FLOAT32_EPSILON } from '../../../compiler/surface/guards.ts';
import { join, resolve } from 'node:path';
import { BindingError, evaluate, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import { BackendUnavailableError } from '../../executors/executor.ts';
import { BACKEND_CHOICES, createExecutor, type BackendChoice } from '../../executors/create-executor.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../compiler/pipeline.ts';
import { atomicWrite } from '../../io/atomic-write.ts';
import { InputFileError, parseInputFlags, readInputArray } from '../../io/input-arrays.ts';
import { FolderError, makeFolder } from '../../io/make-folder.ts';
import { formatNpy } from '../../io/npy.ts';
import { checkObjective } from '../../objective.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';
import { readSource } from '../read-source.ts';
import { reportDiagnostics } from '../report-diagnostics.ts';

interface Evaluation {
  readonly value: number;
  readonly dtype: 'float64' | 'float32';
  readonly backend: string;
  readonly grads: ReadonlyMap<string, { shape: readonly number[]; data: Float64Array | Float32Array }>;
}

function missingOrExtra(error: BindingError): boolean {
  return /^(missing|unexpected) input/.test(error.message);
}

export const valueCommand: Command = {
  name: 'value',
  summary: 'evaluate an objective (and its gradients) on arrays',
  help: `Usage: dflc value FILE.dfl --input NAME=PATH.npy ... [--f64 | --backend B] [--grad DIR] [--json]

Compiles the objective into its optimised value-and-gradient program and evaluates it on the
given arrays. Every input of the objective must be bound, by its name as written: a time
reference by its full spelling, e.g. --input Z_t+1=z1.npy. A param (\`param W : [d, 16]\`) is
bound like an input here, --input W=w.npy, and gets its gradient like one. Arrays are NumPy .npy
files of the declared rank (2-D for a matrix, 1-D for a vector, 0-D for a scalar; float32 or
float64, C order); symbolic dimensions such as n and d are read from them.

Prints the value on stdout. By default the program runs in float32 (--backend: ONNX Runtime or
TensorFlow.js);
with --f64 it runs on the float64 reference backend, the oracle dflc's tests check every other
backend against. Float32 runs compile the numerical guards with ε = 1e-6 instead of 1e-12, so
that a collapsed embedding stays finite in single precision.

Options:
  --input NAME=PATH   bind an input to an .npy array (repeat for each input)
  --f64               evaluate in float64 on the reference backend
  --backend B         float32 engine: ${BACKEND_CHOICES.join(', ')} (default auto:
                      tensorflow-gpu, then onnx-webgpu on a hardware GPU, then tensorflow,
                      then onnx, then wasm, then cpu)
  --grad DIR          write the gradient for each input and param to DIR/NAME.npy
  --json              print {"value", "dtype", "backend"} as JSON on stdout
  -h, --help          show this help

Example:
  dflc value examples/card.dfl --f64 --input Z=z.npy --input Z_t=z0.npy --input Z_t+1=z1.npy --grad grads/`,
  options: {
    input: { type: 'string', multiple: true },
    f64: { type: 'boolean' },
    backend: { type: 'string' },
    grad: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError('value takes exactly one FILE.dfl');
    const [file] = positionals;
    const bindings = parseInputFlags((values.input as string[] | undefined) ?? []);
    const source = await readSource(file, io.cwd);
    const f64 = values.f64 === true;
    const backend = (values.backend as string | undefined) ?? 'auto';
    if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) {
      throw new UsageError(`unknown backend '${backend}'; choose one of ${BACKEND_CHOICES.join(', ')}`);
    }
    if (f64 && values.backend !== undefined) throw new UsageError('--f64 runs on the reference backend; drop --backend or --f64');
    const checked = checkObjective(file, source, f64 ? undefined : FLOAT32_EPSILON);
    reportDiagnostics(io, file, source, checked.diagnostics);
    if (checked.program === undefined) return 1;
    const forward = checked.program;

    let arrays;
    try {
      arrays = await Promise.all(bindings.map((b) => readInputArray(b.name, b.path, io.cwd)));
    } catch (error) {
      if (error instanceof InputFileError) return fail(io, error.message);
      throw error;
    }
    const inputs = new Map<string, Tensor64>(arrays.map((a) => [a.name, tensor64(a.shape, a.data)]));
    let sizes: Map<string, number>;
    try {
      sizes = inferSizes(forward, inputs);
    } catch (error) {
      if (!(error instanceof BindingError)) throw error;
      if (missingOrExtra(error)) throw new UsageError(error.message);
      return fail(io, error.message);
    }
    const { program } = compileValueAndGrad(forward, { sizes });
    let result: Evaluation;
    try {
      result = f64 ? evaluateReference(program, inputs, sizes) : await evaluateFloat32(program, inputs, sizes, backend as BackendChoice);
    } catch (error) {
      if (error instanceof BackendUnavailableError) return fail(io, error.message);
      throw error;
    }
    if (typeof values.grad === 'string') {
      try {
        await writeGradients(resolve(io.cwd, values.grad), result);
      } catch (error) {
        if (error instanceof FolderError) return fail(io, `--grad: ${error.message}`);
        // A folder that exists but cannot take the files (read-only, full) is the user's to fix.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== undefined) return fail(io, `--grad: cannot write the gradients into '${values.grad}' (${code})`);
        throw error;
      }
    }
    if (values.json === true) {
      io.stdout(`${JSON.stringify({ value: result.value, dtype: result.dtype, backend: result.backend })}\n`);
    } else {
      io.stdout(`${result.value}\n`);
    }
    if (!Number.isFinite(result.value)) {
      io.stderr(`dflc value: warning: the objective is ${result.value} on these inputs\n`);
      return 1;
    }
    return 0;
  },
};

function gradNames(program: Program): string[] {
  return program.inputs.map(({ name }) => name);
}

function evaluateReference(program: Program, inputs: Map<string, Tensor64>, sizes: Map<string, number>): Evaluation {
  const outputs = evaluate(program, inputs, sizes);
  return {
    value: outputs.get('value')!.data[0],
    dtype: 'float64',
    backend: 'reference',
    grads: new Map(gradNames(program).map((name) => [name, outputs.get(`grad:${name}`)!])),
  };
}

async function evaluateFloat32(program: Program, inputs: Map<string, Tensor64>, sizes: Map<string, number>, choice: BackendChoice): Promise<Evaluation> {
  const { executor } = await createExecutor(choice);
  try {
    const f32 = new Map([...inputs].map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }]));
    const outputs = await executor.run(program, f32, sizes);
    return {
      value: outputs.get('value')!.data[0],
      dtype: 'float32',
      backend: executor.backend,
      grads: new Map(gradNames(program).map((name) => [name, outputs.get(`grad:${name}`)!])),
    };
  } finally {
    executor.dispose();
  }
}

function fail(io: CommandIo, message: string): number {
  io.stderr(`dflc value: ${message}\n`);
  return 1;
}

async function writeGradients(dir: string, result: Evaluation): Promise<void> {
  await makeFolder(dir);
  for (const [name, grad] of result.grads) {
    const dtype = grad.data instanceof Float32Array ? 'float32' : 'float64';
    await atomicWrite(join(dir, `${name}.npy`), formatNpy({ dtype, shape: grad.shape, data: grad.data }));
  }
}
