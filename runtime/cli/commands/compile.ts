import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FLOAT32_EPSILON } from '../../../compiler/surface/guards.ts';
import { explain } from '../../../compiler/explain.ts';
import { countHostOps } from '../../../compiler/ops/host-ops.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { compileValueAndGrad, PASS_NAMES } from '../../../compiler/pipeline.ts';
import { atomicWrite } from '../../io/atomic-write.ts';
import { objectiveName } from '../../objective-name.ts';
import { checkObjective } from '../../objective.ts';
import { UsageError, type Command } from '../command.ts';
import { readSource } from '../read-source.ts';
import { reportDiagnostics } from '../report-diagnostics.ts';

/** `n=64,d=256` -> sizes; a malformed entry is a usage error. */
export function parseDims(text: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const match = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*(\d+)\s*$/.exec(part);
    if (match === null || Number(match[2]) <= 0) throw new UsageError(`--dims expects NAME=SIZE pairs like n=64,d=256, got '${part}'`);
    sizes.set(match[1], Number(match[2]));
  }
  return sizes;
}

/** What `-o OUT` writes, from OUT's extension; any other extension is a usage error, not a guess. */
function emitFor(output: string): 'ts' | 'onnx' {
  const lower = output.toLowerCase();
  if (lower.endsWith('.onnx')) return 'onnx';
  if (['.ts', '.mts', '.cts'].some((ext) => lower.endsWith(ext))) return 'ts';
  throw new UsageError(`cannot tell what to write to '${output}': name it .ts (a TypeScript module) or .onnx (an ONNX model), or say --emit ts|onnx`);
}

/** A --dims name the objective does not have is a typo, not a no-op. */
function checkDimNames(sizes: ReadonlyMap<string, number>, program: Program, file: string): void {
  const dims = [...new Set(program.inputs.flatMap((i) => i.shape.filter((d): d is string => typeof d === 'string')))].sort();
  const unknown = [...sizes.keys()].filter((name) => !dims.includes(name));
  if (unknown.length === 0) return;
  const have = dims.length === 0 ? 'it has no symbolic dimensions' : `its dimensions are ${dims.join(', ')}`;
  throw new UsageError(`--dims names ${unknown.map((n) => `'${n}'`).join(', ')}, which ${file} does not have; ${have}`);
}

/** ` at n=4096, d=256 (assumed; --dims sets them)`: the sizes the FLOP figure was counted at. */
function flopSizes(given: ReadonlyMap<string, number> | undefined, assumed: Record<string, number>): string {
  const parts = [...(given ?? new Map<string, number>())].map(([name, size]) => `${name}=${size}`);
  const guessed = Object.entries(assumed).map(([name, size]) => `${name}=${size}`);
  if (guessed.length > 0) parts.push(`${guessed.join(', ')} (assumed; --dims sets ${guessed.length === 1 ? 'it' : 'them'})`);
  return parts.length === 0 ? '' : ` at ${parts.join(', ')}`;
}

export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile an objective into its optimised value-and-gradient program',
  help: `Usage: dflc compile FILE.dfl [-o OUT.ts|OUT.onnx] [--emit ts|onnx] [--explain] [--json] [--dims n=64,d=256] [--dump-after PASS]

Checks the objective, differentiates it in dflc's IR and optimises value and gradient together
into one program. Prints a one-line summary; --explain prints the optimised program, the
rewrites that fired and a FLOP estimate, after the objective's params (\`param W : [d, 16]\`)
if it declares any: they are inputs of the program, with a gradient like any input.

Without --dims the program keeps its symbolic sizes (n, d); with them it is specialised, which
enables size-dependent rewrites such as the dual n×n form of a spectrum when n < d.

With -o, also writes the program as a readable TypeScript module over TensorFlow.js: exported,
typed objective(inputs) and valueAndGrad(inputs) functions taking tf.Tensors by the inputs'
names as written. It imports @tensorflow/tfjs-core and dflc/runtime (the host eigensolver).
The module computes in float32, so its guards use ε = 1e-6, as float32 runs of dflc value do.

With -o OUT.onnx (or --emit onnx), writes the program as one ONNX model (opset 18, float32) that
any ONNX runtime loads: inputs by the names as written, outputs value and grad:NAME, symbolic
sizes read off the input shapes. ONNX has no eigendecomposition, so objectives with a spectrum
(eigvals) cannot be one ONNX file: dflc says so, and the TypeScript module is the way out.

Options:
  -o, --output OUT     write the program: with .ts (.mts, .cts) a TypeScript module, with .onnx
                       an ONNX model (replaced atomically); another extension needs --emit
  --emit ts|onnx     what -o writes (default: onnx for a .onnx file, otherwise ts)
  --explain          print the optimised program, the rewrites that fired and the cost
  --json             with --explain: {"ops": [{"op", "shape"}], "rewrites": [...], "flops": n,
                     "params": [{"name", "shape", "init"}]}
  --dims NAME=SIZE,...  bind symbolic dimensions of the objective, e.g. n=64,d=256; the summary's
                       FLOP figure is counted at these sizes (n=4096, others 256 where not given)
  --dump-after PASS  print the program after each run of PASS (${PASS_NAMES.join(', ')})
  -h, --help         show this help

Examples:
  dflc compile examples/card.dfl --explain --dims n=512,d=128
  dflc compile examples/card.dfl -o card-objective.ts
  dflc compile examples/vicreg.dfl -o vicreg.onnx`,
  options: {
    output: { type: 'string', short: 'o' },
    emit: { type: 'string' },
    explain: { type: 'boolean' },
    json: { type: 'boolean' },
    dims: { type: 'string' },
    'dump-after': { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError('compile takes exactly one FILE.dfl');
    const [file] = positionals;
    const dumpAfter = values['dump-after'] as string | undefined;
    if (dumpAfter !== undefined && !PASS_NAMES.includes(dumpAfter)) {
      throw new UsageError(`unknown pass '${dumpAfter}'; the passes are ${PASS_NAMES.join(', ')}`);
    }
    if (values.json === true && values.explain !== true) throw new UsageError('--json goes with --explain');
    const sizes = typeof values.dims === 'string' ? parseDims(values.dims) : undefined;
    const source = await readSource(file, io.cwd);
    const output = values.output as string | undefined;
    const emit = (values.emit as string | undefined) ?? (output === undefined ? 'ts' : emitFor(output));
    if (emit !== 'ts' && emit !== 'onnx') throw new UsageError(`--emit takes ts or onnx, got '${emit}'`);
    if (values.emit !== undefined && output === undefined) throw new UsageError('--emit needs -o OUT to write to');
    // A generated module computes in float32: its guards get float32's ε, as in `dflc value`.
    const checked = checkObjective(file, source, output === undefined ? undefined : FLOAT32_EPSILON);
    reportDiagnostics(io, file, source, checked.diagnostics);
    if (checked.program === undefined) return 1;
    if (sizes !== undefined) checkDimNames(sizes, checked.program, file);

    const result = compileValueAndGrad(checked.program, { sizes, dumpAfter });
    for (const dump of result.dumps) io.stderr(`--- after ${dump.pass} (${dump.phase}, round ${dump.round}) ---\n${dump.text}\n`);
    const report = explain(result.program, result.log, { sizes, params: checked.params });
    if (output !== undefined) {
      let text: string | Uint8Array;
      if (emit === 'onnx') {
        const { exportOnnx, OnnxExportError } = await import('../../../compiler/backends/onnx/export-model.ts');
        try {
          text = exportOnnx(result.program, objectiveName(file));
        } catch (error) {
          if (!(error instanceof OnnxExportError)) throw error;
          io.stderr(`${file}: error: cannot emit ONNX: ${error.message}\n`);
          return 1;
        }
      } else {
        // Loaded only here: ts-morph brings the TypeScript compiler, which no other command needs.
        const { emitModule } = await import('../../../compiler/backends/typescript/emit-module.ts');
        text = emitModule(result.program, { source, file, log: result.log, sizes });
      }
      const target = resolve(io.cwd, output);
      try {
        await mkdir(dirname(target), { recursive: true });
        await atomicWrite(target, text);
      } catch (error) {
        // Where the user asked to write is the user's to fix (exit 2), not a dflc bug.
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (['EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST'].includes(code)) {
          throw new UsageError(`cannot write '${output}': ${(error as Error).message}`);
        }
        throw error;
      }
      io.stderr(`dflc compile: wrote ${output}\n`);
    }
    if (values.explain === true) {
      io.stdout(values.json === true ? `${JSON.stringify(report.json, null, 2)}\n` : `${report.text}\n`);
      return 0;
    }
    const ops = report.json.ops;
    io.stdout(
      `${file}: ${ops.length} ops, ${countHostOps(ops.map((o) => o.op))}, ` +
        `${checked.program.inputs.map((i) => i.name).join(', ')} -> value and gradients, ` +
        `~${report.json.flops.toExponential(2)} flops${flopSizes(sizes, report.json.assumedSizes)} (--explain for the program)\n`,
    );
    return 0;
  },
};
