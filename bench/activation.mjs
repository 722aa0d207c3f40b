// npm run bench:activation: activation time and JavaScript loaded at activation, measured inside the
// real VS Code (code-server's extension host) against an empty extension in the same run, and
// against one that only requires 'vscode' (the floor of any extension using the API). Each round is
// a fresh extension host (a new window) activating one of the three, in turn; activate()'s own steps
// are timed by the extension (`activationSteps`).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installVsix, startCodeServer } from '../scripts/lib/codeServer.mjs';
import { packageVsix } from '../scripts/package.mjs';
import { ensureTestEnvironment, root } from '../scripts/lib/env.mjs';
import { runProbe } from './codeServerProbe.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const OURS = 'prompt-lens.prompt-lens';
const EMPTY = 'bench.empty-extension';
// What any extension that uses the API pays: the host builds a \`vscode\` API object per extension on
// its first \`require('vscode')\`, which the empty extension never does.
const API_ONLY = 'bench.api-only-extension';

ensureTestEnvironment();
// Prompt Lens is measured as a user gets it: the packaged VSIX, installed. The empty extension is
// loaded likewise; a warm-up extension is the development extension that hosts the probe.
const vsix = packageVsix({ quiet: true });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-bench-'));
const WARMUP = 'bench.warmup-extension';

/** An extension whose activate() runs `body` (nothing), packaged and installed like Prompt Lens. */
function emptyExtension(name, body = '') {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  const manifest = {
    name,
    publisher: 'bench',
    version: '0.0.1',
    engines: { vscode: '^1.96.0' },
    main: './extension.js',
    activationEvents: [],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n`);
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    `exports.activate = function () {${body}};\nexports.deactivate = function () {};\n`,
  );
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = path.join(tmp, `${name}.vsix`);
  execFileSync('node', [vsce, 'package', '--allow-missing-repository', '--skip-license', '-o', out], {
    cwd: dir,
    stdio: 'pipe',
  });
  return { dir, vsix: out };
}
const empty = emptyExtension('empty-extension');
const apiOnly = emptyExtension('api-only-extension', " require('vscode'); ");
const warmup = emptyExtension('warmup-extension');
const workspace = path.join(tmp, 'workspace');
fs.mkdirSync(workspace);

const samples = { [OURS]: [], [EMPTY]: [], [API_ONLY]: [] };
const measured = [EMPTY, API_ONLY, OURS];
let loaded;
for (let round = 0; round < ROUNDS; round++) {
  // The first activation in a fresh host pays one-off costs: a warm-up extension takes them. Then one
  // measured extension per host, in turn, so none is timed while another's work is pending.
  const order = [WARMUP, measured[round % measured.length]];
  const out = path.join(tmp, `round-${round}.json`);
  const server = await startCodeServer({
    env: { PROMPT_LENS_BENCH_ORDER: JSON.stringify(order), PROMPT_LENS_BENCH_OUT: out },
  });
  await installVsix(vsix, server.extensionsDir);
  await installVsix(empty.vsix, server.extensionsDir);
  await installVsix(apiOnly.vsix, server.extensionsDir);
  try {
    await runProbe(server, {
      folder: workspace,
      extensionPaths: [warmup.dir],
      testsPath: path.join(root, 'bench', 'activationProbe.cjs'),
      timeoutMs: 120_000,
      what: `round ${round}: the probe`,
    });
  } finally {
    server.stop();
  }
  for (const result of JSON.parse(fs.readFileSync(out, 'utf8'))) {
    if (result.id === WARMUP) continue;
    samples[result.id].push(result);
    if (result.id === OURS) loaded = result;
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ours = median(samples[OURS].map((s) => s.ms));
const baseline = median(samples[EMPTY].map((s) => s.ms));
const apiFloor = median(samples[API_ONLY].map((s) => s.ms));
const inside = median(samples[OURS].map((s) => s.insideActivateMs ?? NaN));
const kb = loaded.bytes / 1024;
console.log(
  `rounds: ${ROUNDS} (a fresh extension host each: warm-up extension, then the empty extension, the API-only one or Prompt Lens, in turn)`,
);
console.log(
  `empty extension activation:  median ${baseline.toFixed(2)} ms  [${samples[EMPTY].map((s) => s.ms.toFixed(1)).join(', ')}]`,
);
console.log(
  `API-only extension:          median ${apiFloor.toFixed(2)} ms  [${samples[API_ONLY].map((s) => s.ms.toFixed(1)).join(', ')}] (activate() only requires 'vscode')`,
);
console.log(
  `Prompt Lens activation:      median ${ours.toFixed(2)} ms  [${samples[OURS].map((s) => s.ms.toFixed(1)).join(', ')}]`,
);
console.log(`time inside activate():      median ${inside.toFixed(2)} ms`);
const steps = samples[OURS].find((s) => s.steps)?.steps ?? {};
console.log(
  `inside activate(), by step:  ${Object.keys(steps)
    .map((name) => `${name} ${median(samples[OURS].map((s) => s.steps?.[name] ?? NaN)).toFixed(2)} ms`)
    .join(', ')}`,
);
console.log(
  `difference: ${(ours - baseline).toFixed(2)} ms (goal <= 10 ms); ratio ${(ours / baseline).toFixed(2)}x the empty extension`,
);
console.log(`over the API-only extension: ${(ours - apiFloor).toFixed(2)} ms (what Prompt Lens itself adds)`);
console.log(
  `JavaScript loaded at activation: ${kb.toFixed(1)} KB in ${loaded.files} file(s) (goal <= 300 KB)`,
);
const ok = ours - baseline <= 10 && kb <= 300;
console.log(ok ? 'activation goals met' : 'activation goals NOT met');
process.exit(ok ? 0 : 1);
