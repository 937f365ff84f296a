import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIMITIVES } from '../../compiler/surface/index.ts';

/**
 * The two lists of DFL's built-in functions that users read, docs/language.md's table and
 * README.md's summary line, name every surface primitive (compiler/surface/): a new primitive
 * fails here until both list it.
 */

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The words written in backticks in `text`: `log(x)` gives log and x, `sum mean` gives both. */
function backtickedWords(text: string): Set<string> {
  const spans = text.match(/`[^`]+`/g) ?? [];
  return new Set(spans.flatMap((span) => span.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []));
}

/** The text from the line starting with `start` to the first line after it matching `end`. */
function section(text: string, start: string, end: RegExp): string {
  const lines = text.split('\n');
  const from = lines.findIndex((line) => line.startsWith(start));
  expect(from, `no line starting with '${start}'`).toBeGreaterThanOrEqual(0);
  const to = lines.findIndex((line, i) => i > from && end.test(line));
  return lines.slice(from, to < 0 ? undefined : to).join('\n');
}

const names = [...PRIMITIVES.keys()];

describe('the documented primitive lists', () => {
  it("docs/language.md's Primitives table names every primitive", () => {
    const listed = backtickedWords(section(read('docs/language.md'), '## Primitives', /^#/));
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("README.md's Primitives line names every primitive", () => {
    const listed = backtickedWords(section(read('README.md'), '- Primitives:', /^- |^$/));
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });
});
