// The render worker (dist/renderWorker.js, built before the unit layer runs): same result as an
// in-process render, reads only through the caller's gate, one deadline, cancellation.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FileRefusedError, type FileKind, type TemplateFiles } from '../../../../src/core/files/policy';
import { renderPromptFile } from '../../../../src/core/promptFile';
import { RenderCancelledError, WorkerRenderer } from '../../../../src/core/render/workerRenderer';
import { repoRoot } from '../promptFile/helpers';

/** 27 million iterations: seconds of work, within liquidjs's memory limit. */
const SLOW =
  '{% for i in (1..300) %}{% for j in (1..300) %}{% for k in (1..300) %}{% endfor %}{% endfor %}{% endfor %}';

const SOURCE = [
  '---',
  'vars:',
  '  xs: [a, b]',
  '---',
  '{% promptrange all %}{% for x in xs %}Item {{ x | upcase }}\n{% endfor %}{% endpromptrange %}{{ missing }}',
].join('\n');

describe('render worker', function () {
  this.timeout(30_000);
  let renderer: WorkerRenderer;
  const noFiles: TemplateFiles = { read: () => Promise.reject(new Error('no file expected')) };
  beforeEach(() => (renderer = new WorkerRenderer(path.join(repoRoot(), 'dist', 'renderWorker.js'))));
  afterEach(() => renderer.dispose());

  it('gives the same result as rendering in-process, source map included', async () => {
    const inProcess = await renderPromptFile(SOURCE, { backendKind: 'llama-cpp' });
    const inWorker = await renderer.render({
      source: SOURCE,
      options: { backendKind: 'llama-cpp' },
      files: noFiles,
    });
    assert.deepEqual(JSON.parse(JSON.stringify(inWorker)), JSON.parse(JSON.stringify(inProcess)));
    assert.ok(inWorker.map.length > 4);
  });

  it('asks the caller for every file and gets refusals back as diagnostics at the tag', async () => {
    const asked: string[] = [];
    const files: TemplateFiles = {
      read: async (kind: FileKind, file: string, fromDir: string) => {
        asked.push(`${kind} ${file} ${fromDir}`);
        if (file.endsWith('ok.png')) return new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
        throw new FileRefusedError(
          'outside-root',
          `${kind} ${file} was not read: it is outside the test root.`,
        );
      },
    };
    const source = '{% image "ok.png" %}{% image "/etc/shadow" %}';
    const result = await renderer.render({
      source,
      options: { path: '/w/p.prompt', posixPaths: true },
      files,
    });
    assert.deepEqual(asked, ['image ok.png /w', 'image /etc/shadow /w']);
    assert.deepEqual(result.items, [{ type: 'image', data: 'iVBORw==' }]);
    const error = result.diagnostics.find((d) => d.severity === 'error');
    assert.equal(error?.code, 'file-refused');
    assert.equal(source.slice(error?.start, error?.end), '{% image "/etc/shadow" %}');
  });

  it('stops a render at the deadline, reading included, and stays usable', async () => {
    const never: TemplateFiles = { read: () => new Promise<Uint8Array>(() => {}) };
    const started = Date.now();
    const hung = await renderer.render({
      source: '{% include "./fifo" %}',
      options: { path: '/w/p.prompt', posixPaths: true },
      files: never,
      deadlineMs: 300,
    });
    assert.match(
      hung.diagnostics[0]?.message ?? '',
      /Rendering stopped after 0.3 s \(reading, parsing and rendering together\)/,
    );
    const loop = await renderer.render({
      source: SLOW,
      options: {},
      files: noFiles,
      deadlineMs: 300,
    });
    assert.match(loop.diagnostics[0]?.message ?? '', /Rendering stopped after 0.3 s/);
    assert.ok(Date.now() - started < 10_000);
    const after = await renderer.render({ source: 'still {{ "fine" }}', options: {}, files: noFiles });
    assert.equal(after.text, 'still fine');
  });

  it('is cancelled when its signal aborts (a newer version supersedes it)', async () => {
    const controller = new AbortController();
    const pending = renderer.render({
      source: SLOW,
      options: {},
      files: noFiles,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, RenderCancelledError);
  });
});
