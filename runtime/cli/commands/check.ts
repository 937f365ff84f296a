import type { Diagnostic } from '../../../grammar/diagnostic.ts';
import { diagnosticRecord, type DiagnosticRecord } from '../../../grammar/diagnostics-render.ts';
import { describeParams } from '../../../compiler/explain.ts';
import { checkObjective } from '../../objective.ts';
import { UsageError, type Command } from '../command.ts';
import { readSource } from '../read-source.ts';
import { diagnosticSummary, hasErrors, reportDiagnostics } from '../report-diagnostics.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'parse and type-check objective files',
  help: `Usage: dflc check FILE.dfl... [--json]

Parses each file and checks names, definitions and shapes, then reports every problem with its
file, line and column, the source line and a caret under the offending text. Prints nothing
when all files are clean, except for a file that declares params (learnable tensors that
\`dflc run\` trains with the encoder): one line on stdout lists them, with their shapes and
initialisation, e.g. \`head.dfl: params w : vector[d] = zeros, b : scalar = zeros\`. Exits 0 when there are no errors (warnings allowed), 1 when any file
has an error, 2 when a file cannot be read.

Options:
  --json       print the diagnostics to stdout as one JSON array of
               {file, line, column, endLine, endColumn, severity, code, message}
  -h, --help   show this help

Example:
  dflc check examples/card.dfl`,
  options: { json: { type: 'boolean' } },
  run: async ({ values, positionals }, io) => {
    if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
    // Read everything first, so that a misspelt file name is reported before any output.
    const sources = await Promise.all(positionals.map((file) => readSource(file, io.cwd)));
    const all: Diagnostic[] = [];
    const records: DiagnosticRecord[] = [];
    positionals.forEach((file, i) => {
      const { diagnostics, params } = checkObjective(file, sources[i]);
      all.push(...diagnostics);
      if (values.json === true) records.push(...diagnostics.map((d) => diagnosticRecord(d, file)));
      else {
        reportDiagnostics(io, file, sources[i], diagnostics);
        if (params.length > 0) io.stdout(`${file}: params ${describeParams(params)}\n`);
      }
    });
    if (values.json === true) io.stdout(`${JSON.stringify(records, null, 2)}\n`);
    else if (all.length > 0) io.stderr(`${diagnosticSummary(all)}\n`);
    return hasErrors(all) ? 1 : 0;
  },
};
