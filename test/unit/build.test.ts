import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The activation shell must stay small and must not pull in the heavy modules.
describe('build output', () => {
  const dist = path.resolve(__dirname, '..', '..');
  it('keeps the activation bundle free of the HTTP client, template engine and zod', () => {
    const shell = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
    for (const heavy of ['undici', 'liquidjs', 'zod'])
      assert.ok(!shell.includes(`node_modules/${heavy}`), heavy);
    assert.ok(shell.length < 50_000, `extension.js is ${shell.length} bytes`);
  });

  it('requires vscode plainly: no copy of the API object per importing file (esbuild.js)', () => {
    for (const bundle of ['extension.js', 'features.js']) {
      const code = fs.readFileSync(path.join(dist, bundle), 'utf8');
      assert.ok(code.includes('require("vscode")'), bundle);
      // esbuild's interop wrapper, `__toESM(require("vscode"))`, copies hundreds of properties.
      assert.doesNotMatch(code, /\(\s*require\("vscode"\)\s*[,)]/, bundle);
    }
  });
});

describe('packaging', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  it('ships every bundle the extension loads, the render worker included', () => {
    const build = fs.readFileSync(path.join(root, 'esbuild.js'), 'utf8');
    const bundles = [...build.matchAll(/outfile: '(dist\/[\w.]+\.js)'/g)].map((m) => m[1]);
    assert.ok(bundles.includes('dist/renderWorker.js'), bundles.join(', '));
    const shipped = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const bundle of bundles) assert.ok(shipped.includes(`!${bundle}`), `${bundle} is not in the VSIX`);
  });
});
