import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

// Test runs and benchmarks stop their code-server through these cleanups, Ctrl+C included.
describe('scripts: cleanups on exit', () => {
  const module = pathToFileURL(path.join(repositoryRoot(), 'scripts', 'lib', 'exitCleanup.mjs')).href;
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-exit-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `body` in a Node process with `onExit` imported; `mark(name)` writes a file named `name`. */
  function run(body: string) {
    const script = `
      const fs = require('node:fs');
      const mark = (name) => fs.writeFileSync(require('node:path').join(${JSON.stringify(dir)}, name), '');
      import(${JSON.stringify(module)}).then(({ onExit }) => { ${body} });`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    return { status: result.status, marks: fs.readdirSync(dir).sort() };
  }

  it('runs the cleanup on Ctrl+C (SIGINT), which would otherwise end the process without it', () => {
    const { status, marks } = run(`
      onExit(() => mark('cleaned'));
      setInterval(() => {}, 1000);
      process.kill(process.pid, 'SIGINT');`);
    assert.equal(status, 130);
    assert.deepEqual(marks, ['cleaned']);
  });

  it('runs it on an uncaught error and on a normal exit, but not once unregistered', () => {
    assert.deepEqual(run(`onExit(() => mark('cleaned')); setTimeout(() => { throw new Error('x'); }, 10);`), {
      status: 1,
      marks: ['cleaned'],
    });
    fs.rmSync(path.join(dir, 'cleaned'));
    assert.deepEqual(run(`onExit(() => mark('kept'))(); onExit(() => mark('cleaned'));`), {
      status: 0,
      marks: ['cleaned'],
    });
  });

  it("leaves a signal to the script's own handler, and cleans up when that one exits", () => {
    const { status, marks } = run(`
      onExit(() => mark('cleaned'));
      process.on('SIGINT', () => { mark('own handler'); setTimeout(() => process.exit(0), 200); });
      setInterval(() => {}, 1000);
      process.kill(process.pid, 'SIGINT');`);
    assert.equal(status, 0);
    assert.deepEqual(marks, ['cleaned', 'own handler']);
  });
});
