// Unit layer: the core's mocha tests in plain Node (built into dist/test/unit by esbuild.js).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsDir, root } from './lib/env.mjs';
import { findTests, runMocha } from './lib/mocha.mjs';

const args = process.argv.slice(2);
if (!args.includes('--no-build')) execFileSync('node', ['esbuild.js'], { cwd: root, stdio: 'inherit' });
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;
const result = await runMocha(findTests(path.join(root, 'dist', 'test', 'unit')), {
  timeout: 30_000,
  ...(grep ? { grep } : {}),
});
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, 'unit.json'), JSON.stringify(result));
if (result.loadError) console.log(`unit: DID NOT LOAD, none of its tests ran: ${result.loadError}`);
else console.log(`unit: ${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed === 0 && !result.loadError ? 0 : 1);
