/**
 * docs/vscode.png: the extension at work in a real VS Code, for the README's Editors section.
 *
 * VS Code itself cannot be downloaded where dflc is built (npm's registry only), so this uses
 * code-server, which is VS Code's own build served to a browser and installs from npm, driven by
 * playwright-core in Debian's `chromium`. Both go into a scratch folder outside the repository
 * (argument 1, default /tmp/dflc-vscode-shot), never into dflc's dependencies; this is not a test.
 *
 * It packages the extension (`npm run package:vscode`), installs the .vsix into code-server, opens
 * an objective with a shape error, waits for `dflc lsp`'s diagnostic, opens the Problems panel,
 * hovers `cov(Z)` and saves the window. Needs Node 20 (code-server 4.100 requires it), a C++
 * toolchain and libkrb5-dev (code-server's native modules build from source here: their prebuilt
 * binaries download from GitHub), and, for workspace search only, Debian's `ripgrep`.
 *
 *   npx tsx scripts/vscode-screenshot.ts [SCRATCH]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const SCRATCH = process.argv[2] ?? '/tmp/dflc-vscode-shot';
/** VS Code 1.100.3; later code-servers require Node 22 or 24. */
const CODE_SERVER = 'code-server@4.100.3';
const PLAYWRIGHT = 'playwright-core@1.65.1';
const PORT = 8765;
const OUT = join(ROOT, 'docs', 'vscode.png');

/** The shape error is README's example, `ortho(spectrum(Z))`; `cov(Z)` on the same line is hovered. */
const OBJECTIVE = `# Spread the embedding out: a high effective rank and decorrelated dimensions,
# stable from one time window to the next.
let lambda = 0.5
minimize -effrank(Z)/cols(Z) + lambda*ortho(spectrum(Z)) + 0.1*fro2(offdiag(cov(Z))) + consistent(Z_t, Z_t+1)
`;

const SETTINGS = {
  'dfl.server.path': join(ROOT, 'bin', 'dflc.js'),
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Light Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'editor.fontSize': 14,
  'editor.minimap.enabled': false,
  // Below the line, so that the hover leaves the underlined call beside it in view.
  'editor.hover.above': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** The part of Playwright's API used here (playwright-core lives in the scratch folder, untyped for tsc). */
interface Page {
  goto(url: string, options: { waitUntil: 'domcontentloaded' }): Promise<unknown>;
  waitForSelector(selector: string, options: { timeout: number }): Promise<unknown>;
  getByText(text: string, options: { exact: boolean }): { first(): { click(): Promise<void> } };
  evaluate<T>(expression: string): Promise<T>;
  keyboard: { press(keys: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  waitForTimeout(ms: number): Promise<void>;
  screenshot(options: { path: string }): Promise<Buffer>;
}
interface Playwright {
  chromium: {
    launch(options: { executablePath: string; args: string[] }): Promise<{
      newPage(options: { viewport: { width: number; height: number } }): Promise<Page>;
      close(): Promise<void>;
    }>;
  };
}

const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void => {
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
};

/**
 * code-server's install script runs `npm install` in its bundled VS Code, whose ripgrep and
 * prebuilt native modules download from GitHub. Here the same install runs without scripts, the
 * native modules are built from source, and ripgrep is Debian's.
 */
function installCodeServer(): string {
  const codeServer = join(SCRATCH, 'node_modules', 'code-server');
  const vscode = join(codeServer, 'lib', 'vscode');
  if (existsSync(join(vscode, 'node_modules.asar'))) return codeServer;
  mkdirSync(SCRATCH, { recursive: true });
  writeFileSync(join(SCRATCH, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', CODE_SERVER, PLAYWRIGHT], SCRATCH);
  run('npm', ['rebuild', 'argon2'], SCRATCH);
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vscode);
  // node-pty's post-install fetches node-gyp through npx, which would otherwise stop to ask.
  run('npm', ['rebuild', 'kerberos', 'node-pty', '@vscode/spdlog', 'native-watchdog', '@vscode/deviceid'], vscode, { npm_config_yes: 'true' });
  run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], join(vscode, 'extensions'));
  const rg = '/usr/bin/rg';
  if (existsSync(rg)) {
    mkdirSync(join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin'), { recursive: true });
    symlinkSync(rg, join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  }
  // What the install script does last: VS Code looks for some modules in node_modules.asar.
  symlinkSync('node_modules', join(vscode, 'node_modules.asar'));
  return codeServer;
}

async function screenshot(page: Page): Promise<void> {
  await page.goto(`http://127.0.0.1:${PORT}/?folder=${join(SCRATCH, 'workspace')}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench .explorer-folders-view', { timeout: 120_000 });
  await page.getByText('objective.dfl', { exact: true }).first().click();
  // The squiggle is dflc lsp's diagnostic arriving: the server started and checked the file.
  await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 120_000 });
  await page.keyboard.press('Control+B'); // hide the side bar
  await page.keyboard.press('Control+Shift+M'); // the Problems panel
  await page.waitForTimeout(1500);
  // Where `cov` is drawn: the editor renders each line as spans of text.
  const at = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      const column = line.textContent.replace(/\\u00a0/g, ' ').indexOf('cov(Z)');
      if (column < 0) continue;
      let seen = 0;
      const texts = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        if (seen + node.length > column) {
          const range = document.createRange();
          range.setStart(node, column - seen);
          range.setEnd(node, column - seen + 3);
          const box = range.getBoundingClientRect();
          return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        }
        seen += node.length;
      }
    }
    return null;
  })()`);
  if (at === null) throw new Error('vscode-screenshot: cov(Z) is not on screen');
  await page.mouse.move(at.x, at.y);
  await page.waitForSelector('.monaco-hover:not(.hidden) >> text=matrix[d, d]', { timeout: 30_000 });
  await page.waitForTimeout(800);
  const partial = `${OUT}.partial.png`;
  await page.screenshot({ path: partial });
  renameSync(partial, OUT);
}

const codeServer = installCodeServer();
run('npm', ['run', 'package:vscode'], ROOT);
const data = join(SCRATCH, 'data');
mkdirSync(join(data, 'user', 'User'), { recursive: true });
mkdirSync(join(SCRATCH, 'workspace'), { recursive: true });
writeFileSync(join(data, 'user', 'User', 'settings.json'), `${JSON.stringify(SETTINGS, null, 2)}\n`);
writeFileSync(join(SCRATCH, 'workspace', 'objective.dfl'), OBJECTIVE);
const bin = join(codeServer, 'out', 'node', 'entry.js');
const common = ['--config', join(data, 'config.yaml'), '--extensions-dir', join(data, 'extensions'), '--user-data-dir', join(data, 'user')];
run('node', [bin, ...common, '--force', '--install-extension', join(ROOT, 'editors', 'vscode', 'dfl.vsix')], SCRATCH);

const server = spawn('node', [bin, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${PORT}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'], { stdio: 'inherit' });
try {
  const { chromium } = (await import(pathToFileURL(join(SCRATCH, 'node_modules', 'playwright-core', 'index.mjs')).href)) as Playwright;
  // Chromium refuses its sandbox as root (containers).
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    await screenshot(await browser.newPage({ viewport: { width: 1280, height: 560 } }));
  } finally {
    await browser.close();
  }
} finally {
  server.kill();
}
console.log(`vscode-screenshot: wrote ${OUT}`);
