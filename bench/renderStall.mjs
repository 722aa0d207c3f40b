// The extension host's longest event-loop stall while an 8 MB `.prompt` file is open and typed in
// (goal <= 50 ms), inside the real VS Code (code-server), against the same file as plain text in the
// same window (what VS Code itself costs the host). Run by `npm run bench:render`; alone:
// node bench/renderStall.mjs [--size-mb 8]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { VIEWPORT, launchBrowser } from '../scripts/lib/browser.mjs';
import { developmentUrl, startCodeServer } from '../scripts/lib/codeServer.mjs';
import { ensureTestEnvironment, root } from '../scripts/lib/env.mjs';
import { option } from './lib.mjs';
import { benchTemplate } from './renderTemplate.mjs';

const GOAL_MS = 50;
const SIZE_MB = Number(option('size-mb', 8));

execFileSync('node', ['esbuild.js', '--no-tests'], { cwd: root, stdio: 'inherit' });
const probe = path.join(root, 'dist', 'bench', 'renderStallProbe.js');
await esbuild.build({
  entryPoints: [path.join(root, 'bench', 'renderStallProbe.ts')],
  outfile: probe,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  define: {
    PROMPT_LENS_VERSION: JSON.stringify(
      JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version,
    ),
  },
  logLevel: 'warning',
});
ensureTestEnvironment();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-bench-stall-'));
const out = path.join(tmp, 'result.json');
const workspace = path.join(tmp, 'workspace');
fs.mkdirSync(workspace);
const source = benchTemplate(SIZE_MB * 1024 * 1024);
fs.writeFileSync(path.join(workspace, 'big.prompt'), source);
fs.writeFileSync(path.join(workspace, 'big.txt'), source);
const server = await startCodeServer({ env: { PROMPT_LENS_BENCH_OUT: out } });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const exited = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => resolve(code)).catch(() => {});
  });
  if (process.env.DEBUG_CONSOLE) page.on('console', (m) => console.log(m.text().slice(0, 400)));
  await page.goto(
    developmentUrl(server.url, { folder: workspace, extensionPaths: [root], testsPath: probe }),
  );
  const code = await Promise.race([
    exited,
    new Promise((resolve) => setTimeout(() => resolve('timeout'), 400_000)),
  ]);
  if (code !== 0) throw new Error(`the probe ended with ${code} (run with DEBUG_CONSOLE=1 to see why)`);
} finally {
  await browser.close();
  server.stop();
  fs.rmSync(path.join(workspace, 'big.prompt'), { force: true });
  fs.rmSync(path.join(workspace, 'big.txt'), { force: true });
}

const { baseline, measured } = JSON.parse(fs.readFileSync(out, 'utf8'));
const line = (p) =>
  `longest stall ${p.maxStallMs.toFixed(1)} ms (event-loop delay histogram: max ${p.histogramMaxMs.toFixed(1)} ms, p99 ${p.histogramP99Ms.toFixed(1)} ms), ${p.edits} edits`;
console.log(`  baseline, ${SIZE_MB} MB plain text file:  ${line(baseline)}`);
console.log(`  ${SIZE_MB} MB .prompt file:                ${line(measured)}`);
console.log(
  `  render of the last version done ${measured.lastRenderMs.toFixed(0)} ms after the last keystroke${measured.lastRenderErrors.length ? ` (errors: ${measured.lastRenderErrors.join('; ')})` : ''}`,
);
const ok = measured.maxStallMs <= GOAL_MS;
console.log(
  `  stall ${ok ? 'within' : 'NOT within'} ${GOAL_MS} ms; ${(measured.maxStallMs / Math.max(baseline.maxStallMs, 1)).toFixed(2)}x the plain-text baseline`,
);
process.exit(ok ? 0 : 1);
