import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

// `npm start` opens a temporary copy of examples/, never the tracked folder, and removes it on exit.
describe('npm start: the demo workspace', () => {
  const root = repositoryRoot();
  const module = pathToFileURL(path.join(root, 'scripts', 'lib', 'demoWorkspace.mjs')).href;
  const examples = path.join(root, 'examples');

  it('copies examples/ outside the repository, edits stay in the copy, and the copy is gone after exit', () => {
    const script = `
      const fs = require('node:fs');
      const path = require('node:path');
      import(${JSON.stringify(module)}).then(({ createDemoWorkspace }) => {
        const { folder } = createDemoWorkspace(${JSON.stringify(examples)});
        fs.appendFileSync(path.join(folder, 'capital-quiz.prompt'), 'edited by the demo');
        console.log(JSON.stringify({ folder, files: fs.readdirSync(folder).sort() }));
      });`;
    const before = fs.readFileSync(path.join(examples, 'capital-quiz.prompt'), 'utf8');
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
      folder: string;
      files: string[];
    };
    assert.ok(
      !path.resolve(out.folder).startsWith(root + path.sep),
      `${out.folder} is outside the repository`,
    );
    assert.deepEqual(out.files, fs.readdirSync(examples).sort());
    assert.equal(
      fs.readFileSync(path.join(examples, 'capital-quiz.prompt'), 'utf8'),
      before,
      'examples/ untouched',
    );
    assert.equal(fs.existsSync(out.folder), false, 'removed when the process exited');
    assert.equal(fs.existsSync(path.dirname(out.folder)), false);
  });
});
