import { formatDefHead } from '../../../grammar/format.ts';
import { suggest } from '../../../grammar/suggest.ts';
import { PRIMITIVES } from '../../../compiler/surface/index.ts';
import type { PreludeDef } from '../../../compiler/front-end/prelude.ts';
import { loadStdlib } from '../../stdlib-loader.ts';
import { UsageError, type Command } from '../command.ts';

const signature = (def: PreludeDef): string => formatDefHead(def.decl);

/** The doc's first sentence, for the one-line listing. */
function summaryOf(def: PreludeDef): string {
  const text = def.doc.join(' ');
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

function definitionText(def: PreludeDef): string {
  return def.source.slice(def.decl.span.start.offset, def.decl.span.end.offset);
}

export const docCommand: Command = {
  name: 'doc',
  summary: 'show the documentation of the standard library and the primitives',
  help: `Usage: dflc doc [NAME]

Without NAME, lists every stdlib objective and built-in primitive with a one-line summary.
With NAME, prints that objective's full documentation and its definition in DFL (the stdlib
is ordinary DFL: copy a definition into your file to prototype a variant).

Options:
  -h, --help   show this help

Example:
  dflc doc balance`,
  options: {},
  run: async ({ positionals }, io) => {
    if (positionals.length > 1) throw new UsageError('doc takes at most one NAME');
    const prelude = loadStdlib();
    const name = positionals[0];
    if (name === undefined) {
      const defs = [...prelude.defs.values()].sort((a, b) => a.decl.name.localeCompare(b.decl.name));
      const width = Math.max(...defs.map((d) => signature(d).length), ...[...PRIMITIVES.keys()].map((k) => k.length));
      io.stdout('Standard library (stdlib/*.dfl):\n');
      for (const def of defs) io.stdout(`  ${signature(def).padEnd(width)}  ${summaryOf(def)}\n`);
      io.stdout('\nBuilt-in primitives:\n');
      for (const p of [...PRIMITIVES.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        io.stdout(`  ${`${p.name}(${p.params.map((q) => q.name).join(', ')})`.padEnd(width)}  ${p.doc}\n`);
      }
      io.stdout("\nRun 'dflc doc NAME' for one entry in full.\n");
      return 0;
    }
    const def = prelude.defs.get(name);
    if (def !== undefined) {
      io.stdout(`${signature(def)}    (${def.file})\n\n`);
      for (const line of def.doc) io.stdout(`  ${line}\n`);
      io.stdout(`\n  ${definitionText(def)}\n`);
      return 0;
    }
    const primitive = PRIMITIVES.get(name);
    if (primitive !== undefined) {
      io.stdout(`${primitive.name}(${primitive.params.map((p) => `${p.name}: ${p.kind}`).join(', ')})    (built-in primitive)\n\n  ${primitive.doc}\n`);
      return 0;
    }
    const hint = suggest(name, [...prelude.defs.keys(), ...PRIMITIVES.keys()]);
    io.stderr(`dflc doc: no stdlib objective or primitive named '${name}'${hint ? `; did you mean '${hint}'?` : ''}\n`);
    return 1;
  },
};
