import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/run-cli.ts';

const EXTENSION = join(REPO_ROOT, 'editors', 'vscode');
const json = <T>(path: string): T => JSON.parse(readFileSync(join(EXTENSION, path), 'utf8')) as T;

describe('the VS Code extension (editors/vscode)', () => {
  it('contributes the dfl language with a grammar and a language configuration that exist', () => {
    const manifest = json<{ contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { language: string; scopeName: string; path: string }[] } }>('package.json');
    expect(manifest.contributes.languages.map((l) => [l.id, l.extensions])).toEqual([['dfl', ['.dfl']]]);
    expect(manifest.contributes.grammars.map((g) => [g.language, g.scopeName])).toEqual([['dfl', 'source.dfl']]);
    for (const path of [manifest.contributes.languages[0].configuration, manifest.contributes.grammars[0].path]) {
      expect(existsSync(join(EXTENSION, path)), path).toBe(true);
    }
  });

  it('toggles # comments, and double-click selects a time reference whole', () => {
    const config = json<{ comments: { lineComment: string }; wordPattern: string }>('language-configuration.json');
    expect(config.comments.lineComment).toBe('#');
    const words = [...'0.5*consistent(Z_t, Z_t+1) + Z_t + 1e-3'.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
    expect(words).toEqual(['0.5', 'consistent', 'Z_t', 'Z_t+1', 'Z_t', '1e-3']);
  });

  // Slow (bundling and packaging take about 20 s): run with DFLC_SLOW=1 (npm run test:slow).
  it.runIf(process.env.DFLC_SLOW)('npm run package:vscode builds a .vsix with the bundle, the grammar and the configuration', async () => {
    const vsix = join(EXTENSION, 'dfl.vsix');
    rmSync(vsix, { force: true });
    await promisify(execFile)('npm', ['run', 'package:vscode'], { cwd: REPO_ROOT, timeout: 300_000 });
    // A zip's entry names are stored uncompressed in its headers.
    const bytes = readFileSync(vsix).toString('latin1');
    for (const entry of ['extension/package.json', 'extension/dist/extension.js', 'extension/syntaxes/dfl.tmLanguage.json', 'extension/language-configuration.json']) {
      expect(bytes).toContain(entry);
    }
    expect(bytes).not.toContain('extension/src/');
  });
});
