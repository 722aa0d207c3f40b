// The extension host's longest event-loop stall while an 8 MB `.prompt` file is open and typed in
// (goal <= 50 ms), inside the real VS Code (code-server), against the same file as plain text in the
// same window (what VS Code itself costs the host). Run by `npm run bench:render`; alone:
// node bench/renderStall.mjs [--size-mb 8]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCodeServer } from '../scripts/lib/codeServer.mjs';
import { ensureTestEnvironment, root } from '../scripts/lib/env.mjs';
import { buildExtensionAndProbe, runProbe } from './codeServerProbe.mjs';
import { option } from './lib.mjs';
import { benchTemplate } from './renderTemplate.mjs';

const GOAL_MS = 50;
const SIZE_MB = Number(option('size-mb', 8));

const probe = await buildExtensionAndProbe('renderStallProbe');
ensureTestEnvironment();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-bench-stall-'));
const out = path.join(tmp, 'result.json');
const workspace = path.join(tmp, 'workspace');
fs.mkdirSync(workspace);
const source = benchTemplate(SIZE_MB * 1024 * 1024);
fs.writeFileSync(path.join(workspace, 'big.prompt'), source);
fs.writeFileSync(path.join(workspace, 'big.txt'), source);
const server = await startCodeServer({ env: { PROMPT_LENS_BENCH_OUT: out } });
try {
  await runProbe(server, { folder: workspace, extensionPaths: [root], testsPath: probe, timeoutMs: 400_000 });
} finally {
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
