// The `promptlens` binary (dist/cli.js) as a child process against hostile networks: a proxy that
// closes CONNECT (once re-dialled forever), and servers that echo the token into their errors.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { LlamaCppServerHandle } from '../../fixtures/llamaCpp/options';
import { startLlamaCppServer } from '../../fixtures/llamaCpp/server';
import { startTestProxy, type TestProxy } from '../../fixtures/proxy/server';
import { SECRET_TOKEN, echoedErrorShapes } from '../core/secretEchoes';

const CLI = path.resolve(__dirname, '..', '..', '..', 'cli.js');

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('dist/cli.js on hostile networks', function () {
  this.timeout(90_000);
  let llama: LlamaCppServerHandle;
  let proxy: TestProxy;
  before(async () => {
    [llama, proxy] = await Promise.all([startLlamaCppServer(), startTestProxy({ mode: 'close-on-connect' })]);
  });
  after(() => Promise.all([llama.close(), proxy.close()]));

  it('HTTP_PROXY closing CONNECT: exits 3 at once, naming the proxy, after a bounded number of connections', async () => {
    const started = Date.now();
    const result = await run(
      [
        'complete',
        '--backend',
        'llama-cpp',
        '--url',
        'http://models.promptlens.invalid:8080',
        '--prompt',
        'Hi',
      ],
      { HTTP_PROXY: proxy.url },
    );
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, new RegExp(`the proxy at ${proxy.url} refused the tunnel`, 'i'));
    assert.ok(proxy.connections >= 1 && proxy.connections <= 4, `${proxy.connections} connections`);
    assert.ok(Date.now() - started < 10_000);
  });

  it('a loopback server behind HTTP_PROXY is reached directly', async () => {
    const before = proxy.connections;
    const result = await run(
      ['complete', '--backend', 'llama-cpp', '--url', llama.url, '--prompt', 'Hi', '--max-tokens', '2'],
      {
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(proxy.connections, before);
  });

  it('prints the token nowhere, whatever error shape echoes it', async () => {
    // A child process per run is slow: the shapes that reach the CLI by different paths (the core
    // suite tries every shape).
    const picked = [
      'error line',
      'error event',
      'error line not JSON',
      '400 JSON',
      '200 not JSON',
      '400 plain text',
    ];
    const shapes = echoedErrorShapes('llama-cpp').filter((shape) => picked.includes(shape.name));
    assert.equal(shapes.length, picked.length);
    for (const shape of shapes) {
      for (const json of shape.streamed ? [false, true] : [false]) {
        llama.setFaults({
          raw: [(request) => shape.reply(String(request.headers.authorization))],
          paths: ['/completion'],
        });
        const args = [
          'complete',
          '--backend',
          'llama-cpp',
          '--url',
          llama.url,
          '--prompt',
          'Hi',
          '--max-tokens',
          '2',
        ];
        const result = await run(
          [...args, ...(shape.streamed ? ['--stream'] : []), ...(json ? ['--json'] : [])],
          {
            PROMPTLENS_TOKEN: SECRET_TOKEN,
          },
        );
        assert.notEqual(result.code, 0, `${shape.name}: expected a failure`);
        assert.ok(
          !`${result.stdout}${result.stderr}`.includes(SECRET_TOKEN),
          `${shape.name}: ${result.stdout}${result.stderr}`,
        );
      }
    }
  });
});
