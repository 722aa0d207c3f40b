import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseProfiles, type Profile } from '../../../src/core/profile';
import {
  defaultTemplateFiles,
  renderPromptFile,
  type RenderResult,
} from '../../../src/core/promptFile/index';
import { chooseProfile, profileOf } from '../../../src/core/useCases/index';

function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function promptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return promptFiles(full);
    return entry.name.endsWith('.prompt') ? [full] : [];
  });
}

// `npm start` configures a simulated llama.cpp server as the active profile: every example must
// run on it out of the box, not be sent by its `backend:` to a server that needs a key.
describe('npm start: every example runs on the demo', () => {
  const root = repositoryRoot();
  const module = pathToFileURL(path.join(root, 'scripts', 'lib', 'demoBackend.mjs')).href;
  const script = `import(${JSON.stringify(module)}).then(({ demoSettings }) =>
    console.log(JSON.stringify(demoSettings('http://127.0.0.1:8089'))));`;
  const settings = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Record<
    string,
    unknown
  >;
  const { profiles, problems } = parseProfiles(settings['promptLens.profiles']);
  const activeName = settings['promptLens.activeProfile'] as string;
  const demo = profiles.find((p) => p.name === activeName);
  const files = promptFiles(path.join(root, 'examples'));

  it('configures its simulated server as the active profile', () => {
    assert.deepEqual(problems, []);
    assert.ok(demo, `the demo's active profile "${activeName}" is configured`);
    assert.equal(demo.url, 'http://127.0.0.1:8089');
    assert.ok(files.length >= 5, 'the examples are found');
  });

  const render = (file: string, kind: string | undefined) =>
    renderPromptFile(fs.readFileSync(file, 'utf8'), {
      path: file,
      files: defaultTemplateFiles(file),
      ...(kind !== undefined && { backendKind: kind as Profile['kind'] }),
    });
  const errorsOf = (result: RenderResult) =>
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

  for (const file of files) {
    const name = path.relative(root, file);
    it(`${name} goes to a profile the demo configures, its own unless the demo cannot run the file`, async () => {
      const onDemo = await render(file, demo?.kind);
      const requested = onDemo.settings.backend;
      const choice = chooseProfile({ profiles, activeName, requested, trusted: true });
      const profile = profileOf(choice);
      if (profile.name === activeName) {
        assert.deepEqual(errorsOf(onDemo), [], name);
        return;
      }
      // A `backend:` that sends an example away from the demo is only for what the demo's kind
      // cannot run (images); on the profile it names, the file renders cleanly.
      assert.notDeepEqual(errorsOf(onDemo), [], `${name}: backend: ${requested} is not needed on the demo`);
      assert.deepEqual(errorsOf(await render(file, profile.kind)), [], name);
    });
  }
});
