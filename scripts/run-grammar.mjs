// Grammar layer: TextMate scope assertions in test/grammar/*.test.prompt (vscode-tmgrammar-test).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsDir, root } from './lib/env.mjs';

const files = fs.readdirSync(path.join(root, 'test', 'grammar')).filter((f) => f.endsWith('.test.prompt'));
const bin = path.join(root, 'node_modules', '.bin', 'vscode-tmgrammar-test');
let passed = 0;
let failed = 0;
for (const file of files) {
  const run = spawnSync(
    bin,
    ['-g', 'syntaxes/liquid-prompt.tmLanguage.json', path.join('test', 'grammar', file)],
    { cwd: root, encoding: 'utf8' },
  );
  const output = `${run.stdout}${run.stderr}`
    .split('\n')
    .filter((line) => !/grammar not found for "source.yaml"/.test(line))
    .join('\n');
  process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  if (run.status === 0) passed++;
  else failed++;
}
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, 'grammar.json'), JSON.stringify({ passed, failed }));
console.log(`grammar: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
