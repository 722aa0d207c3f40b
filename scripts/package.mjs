// Builds the minified bundles and packages them as a VSIX in out/. Prints the VSIX path.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { root } from './lib/env.mjs';

export function packageVsix({ quiet = false } = {}) {
  const { version, name } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const vsix = path.join(root, 'out', `${name}-${version}.vsix`);
  fs.mkdirSync(path.dirname(vsix), { recursive: true });
  const stdio = quiet ? 'pipe' : 'inherit';
  execFileSync('node', ['esbuild.js', '--production', '--no-tests'], { cwd: root, stdio });
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync('node', [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], {
    cwd: root,
    stdio,
  });
  return vsix;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(packageVsix());
}
