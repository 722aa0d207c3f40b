// `npm test`: type-check (the project, and the webview's own browser-only project), lint, format, unit, grammar, integration (real VS Code) and e2e (real browser),
// ending with one line `N passed, M failed` over all layers. Sets up everything it needs itself.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './lib/bootstrap.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
ensureDependencies();
fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const layers = [
  { name: 'build', command: 'node', args: ['esbuild.js'] },
  { name: 'type-check', command: bin('tsc'), args: ['-p', '.', '--noEmit'] },
  { name: 'type-check webview', command: bin('tsc'), args: ['-p', 'src/webview', '--noEmit'] },
  { name: 'lint', command: bin('eslint'), args: ['.'] },
  { name: 'format', command: bin('prettier'), args: ['--check', '.'] },
  { name: 'unit', command: 'node', args: ['scripts/run-unit.mjs', '--no-build'], counts: 'unit.json' },
  {
    name: 'grammar',
    command: 'node',
    args: ['scripts/run-grammar.mjs'],
    counts: 'grammar.json',
    optional: 'scripts/run-grammar.mjs',
  },
  {
    name: 'integration',
    command: 'node',
    args: ['scripts/run-integration.mjs', '--no-build'],
    counts: 'integration.json',
  },
  { name: 'e2e', command: 'node', args: ['scripts/run-e2e.mjs', '--no-build'], counts: 'e2e.json' },
];

let passed = 0;
let failed = 0;
const summary = [];
for (const layer of layers) {
  if (layer.optional && !fs.existsSync(path.join(root, layer.optional))) continue;
  const started = Date.now();
  console.log(`\n=== ${layer.name}`);
  const run = spawnSync(layer.command, layer.args, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const countsFile = layer.counts && path.join(results, layer.counts);
  if (countsFile && fs.existsSync(countsFile)) {
    const counts = JSON.parse(fs.readFileSync(countsFile, 'utf8'));
    if (counts.loadError) {
      failed += 1;
      summary.push(`${layer.name}: DID NOT LOAD, none of its tests ran (${counts.loadError})`);
      continue;
    }
    // A layer that crashed after writing its counts still counts as a failure.
    const extraFailure = run.status !== 0 && counts.failed === 0 ? 1 : 0;
    passed += counts.passed;
    failed += counts.failed + extraFailure;
    summary.push(
      `${layer.name}: ${counts.passed} passed, ${counts.failed + extraFailure} failed (${seconds} s)`,
    );
  } else if (run.status === 0) {
    passed += 1;
    summary.push(`${layer.name}: ok (${seconds} s)`);
  } else {
    failed += 1;
    const what = layer.counts ? 'DID NOT RUN: it stopped before reporting any test' : 'FAILED';
    summary.push(`${layer.name}: ${what} (${seconds} s)`);
  }
}
console.log(`\n${summary.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
