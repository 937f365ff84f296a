import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A clone of the repository must stand alone: no tracked file may point at the workspace it was
 * written in (a `shared` folder beside the checkout, or the workspace's absolute paths). The
 * patterns are assembled here so that this file does not match itself.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const OUTSIDE = [['..', 'shared'].join('/'), ['', 'work', ''].join('/')];

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter((f) => f !== '');
}

/** `file:line: pattern` for each outside path the text mentions. */
function outsideReferences(file: string, text: string): string[] {
  return OUTSIDE.flatMap((pattern) => {
    const at = text.indexOf(pattern);
    return at < 0 ? [] : [`${file}:${text.slice(0, at).split('\n').length}: ${pattern}`];
  });
}

describe('the repository stands alone', () => {
  it('no tracked file refers to a path outside it', () => {
    const offenders = trackedFiles().flatMap((file) => outsideReferences(file, readFileSync(join(ROOT, file)).toString('latin1')));
    expect(offenders).toEqual([]);
  });

  it('finds a reference where one is', () => {
    expect(outsideReferences('README.md', `intro\nsee ${OUTSIDE[0]}/LANGUAGE.md`)).toEqual([`README.md:2: ${OUTSIDE[0]}`]);
    expect(outsideReferences('a.ts', `from ${OUTSIDE[1]}main/x.ts`)).toEqual([`a.ts:1: ${OUTSIDE[1]}`]);
  });
});
