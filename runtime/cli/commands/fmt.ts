import { resolve } from 'node:path';
import { parse } from '../../../grammar/parse.ts';
import { verifiedFormat } from '../../../grammar/verified-format.ts';
import { atomicWrite } from '../../io/atomic-write.ts';
import { UsageError, type Command } from '../command.ts';
import { readSource } from '../read-source.ts';
import { hasErrors, reportDiagnostics } from '../report-diagnostics.ts';

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'print or rewrite objective files in canonical format',
  help: `Usage: dflc fmt FILE.dfl [--write | --check]

Prints the canonical formatting of FILE.dfl: one statement per line; spaces around + - and
the = of let and def; * / @ tight inside a sum (a + 0.5*b) and spaced elsewhere; ^ tight;
only the parentheses that precedence needs; numbers as you spelled them; comments kept where
they were, blank lines collapsed to one. A file with syntax errors is reported and left alone
(exit 1).

Options:
  --write      rewrite the files in place (atomically: a crash never leaves half a file)
  --check      print nothing; exit 1 and name each file that is not formatted
  -h, --help   show this help

Several files may be given with --write or --check.

Example:
  dflc fmt --check examples/*.dfl`,
  options: { write: { type: 'boolean' }, check: { type: 'boolean' } },
  run: async ({ values, positionals }, io) => {
    const write = values.write === true;
    const check = values.check === true;
    if (positionals.length === 0) throw new UsageError('fmt needs a FILE');
    if (write && check) throw new UsageError('--write and --check cannot be used together');
    if (!write && !check && positionals.length > 1) throw new UsageError('fmt prints one FILE; use --write or --check for several');
    const sources = await Promise.all(positionals.map((file) => readSource(file, io.cwd)));
    let status = 0;
    for (const [i, file] of positionals.entries()) {
      const source = sources[i];
      const { ast, diagnostics } = parse(source);
      if (hasErrors(diagnostics)) {
        reportDiagnostics(io, file, source, diagnostics);
        status = 1;
        continue;
      }
      const text = verifiedFormat(ast, file);
      if (check) {
        if (text !== source) {
          io.stderr(`${file}: not formatted (run 'dflc fmt --write ${file}')\n`);
          status = 1;
        }
      } else if (write) {
        if (text !== source) await atomicWrite(resolve(io.cwd, file), text);
      } else {
        io.stdout(text);
      }
    }
    return status;
  },
};
