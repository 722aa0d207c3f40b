// The built `promptlens` binary (dist/cli.js) as a child process.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { MODEL_ID, startOpenAiServer, type OpenAiTestServer } from '../../fixtures/openai/server';

const CLI = path.resolve(__dirname, '..', '..', '..', 'cli.js');

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('dist/cli.js', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(() => server.close());

  it('completes against a server and prints one JSON object', async () => {
    const result = await run(
      [
        'complete',
        '--backend',
        'openai',
        '--url',
        server.url,
        '--model',
        MODEL_ID,
        '--prompt',
        'The cat',
        '--max-tokens',
        '2',
        '--json',
      ],
      {
        PROMPTLENS_TOKEN: 'sk-child',
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout) as { completions: { text: string }[] };
    assert.equal(output.completions.length, 1);
    assert.equal(server.requests[server.requests.length - 1]?.headers.authorization, 'Bearer sk-child');
  });

  it('exits 2 on a usage error and 3 on a backend error, with one line on stderr', async () => {
    const usage = await run(['complete', '--max-tokens', 'x', '--prompt', 'p']);
    assert.equal(usage.code, 2);
    assert.match(
      usage.stderr,
      /^promptlens complete: --max-tokens takes a number >= 0 \(see promptlens complete --help\)\n$/,
    );
    const backend = await run([
      'evaluate',
      '--backend',
      'openai',
      '--url',
      `${server.url}/v1`,
      '--prompt',
      '',
      '--expected',
      'x',
    ]);
    assert.equal(backend.code, 3);
    assert.match(backend.stderr, /^promptlens evaluate: [^\n]+\n$/);
  });

  it('prints its version', async () => {
    const result = await run(['--version']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
