// The CLI's contract, checked on the built binary (dist/cli.js) as a child process: exit codes,
// JSON errors, usage errors, --timeout, a stdout closed by its reader, and the documented codes.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { EXIT_BACKEND, EXIT_OK, EXIT_TEMPLATE, EXIT_USAGE } from '../../../src/cli/io';
import { MODEL_ID, startOpenAiServer, type OpenAiTestServer } from '../../fixtures/openai/server';

const CLI = path.resolve(__dirname, '..', '..', '..', 'cli.js');
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs dist/cli.js; `closeStdoutAfterFirstChunk` plays a reader like `head` that stops early. */
function run(
  args: string[],
  env: Record<string, string> = {},
  closeStdoutAfterFirstChunk = false,
): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (closeStdoutAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function jsonError(stdout: string): { kind: string; message: string } {
  const parsed = JSON.parse(stdout) as { error?: { kind?: unknown; message?: unknown } };
  assert.deepEqual(Object.keys(parsed), ['error'], stdout);
  assert.equal(typeof parsed.error?.kind, 'string');
  assert.equal(typeof parsed.error?.message, 'string');
  return parsed.error as { kind: string; message: string };
}

/** A server that accepts every request and never answers. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('dist/cli.js contract', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer({ echo: 'vllm' });
  });
  after(() => server.close());
  const openai = () => ['--backend', 'openai', '--url', server.url, '--model', MODEL_ID];

  describe('--json on failure', () => {
    it('prints {"error": {kind, message}} on stdout and exits 3 when the server fails', async () => {
      server.faults.push({ kind: 'status', status: 401 });
      const result = await run(['complete', ...openai(), '--prompt', 'The cat', '--json'], {
        PROMPTLENS_TOKEN: 'sk-contract-SECRET',
      });
      assert.equal(result.code, EXIT_BACKEND, result.stderr);
      const error = jsonError(result.stdout);
      assert.equal(error.kind, 'authentication');
      assert.match(error.message, /rejected the API token/);
      assert.ok(!`${result.stdout}${result.stderr}`.includes('sk-contract-SECRET'));
    });

    it('prints a usage error as JSON too, and exits 2', async () => {
      const result = await run(['complete', '--prompt', 'x', '--max-tokens', 'lots', '--json']);
      assert.equal(result.code, EXIT_USAGE);
      const error = jsonError(result.stdout);
      assert.equal(error.kind, 'usage');
      assert.match(error.message, /--max-tokens takes a number/);
      assert.equal(jsonError((await run(['frobnicate', '--json'])).stdout).kind, 'usage');
    });

    it('prints a template error as JSON, and exits 1', async () => {
      const file = path.join(WORKSPACE, 'prompt-files', 'broken.prompt');
      const result = await run(['complete', file, ...openai(), '--json']);
      assert.equal(result.code, EXIT_TEMPLATE, result.stderr);
      const error = jsonError(result.stdout);
      assert.equal(error.kind, 'template');
      assert.match(error.message, /broken\.prompt:6:12: Undefined variable: nme/);
    });
  });

  describe('usage errors exit 2 with a message saying what to do', () => {
    const cases: [string, string[], RegExp][] = [
      [
        'a --url that is no URL',
        ['complete', '--prompt', 'x', '--url', 'localhost:8080'],
        /--url takes an http/,
      ],
      [
        'a --url of another scheme',
        ['complete', '--prompt', 'x', '--url', 'ftp://127.0.0.1/'],
        /--url takes an http/,
      ],
      [
        'a --url with credentials',
        ['models', '--url', 'http://me:pw-SECRET@127.0.0.1:9/'],
        /must not contain a user name or password/,
      ],
      [
        'Aleph Alpha without --model',
        ['complete', '--backend', 'aleph-alpha', '--url', 'http://127.0.0.1:9', '--prompt', 'x'],
        /Aleph Alpha needs a model: give --model NAME/,
      ],
      ['an unknown flag', ['tokenize', '--prompt', 'x', '--colour'], /unknown option --colour/],
      [
        'a bad --timeout',
        ['complete', '--prompt', 'x', '--timeout', '0'],
        /--timeout takes a number of seconds/,
      ],
      ['a bad --timeout for test', ['test', '--timeout', '0'], /--timeout takes/],
      ['a non-numeric --timeout', ['complete', '--prompt', 'x', '--timeout=soon'], /--timeout takes/],
      ['a negative --max-tokens', ['complete', '--prompt', 'x', '--max-tokens=-1'], /--max-tokens takes/],
      [
        'a value that looks like a flag',
        ['complete', '--prompt', 'x', '--max-tokens', '-1'],
        /--max-tokens=-XYZ/,
      ],
      [
        'a bad --granularity',
        ['explain', '--prompt', 'x', '--target', 'y', '--granularity', 'line'],
        /--granularity/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(`on ${what}`, async () => {
        const result = await run(args);
        assert.equal(result.code, EXIT_USAGE, result.stderr);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, message);
        assert.match(result.stderr, /\(see promptlens \w+ --help\)\n$/);
        assert.ok(!result.stderr.includes('SECRET'), 'a value that may hold a secret is not repeated');
      });
    }

    it('lists models of Aleph Alpha without a model (no usage error there)', async () => {
      const result = await run(['models', '--backend', 'aleph-alpha', '--url', server.url, '--json']);
      assert.equal(result.code, EXIT_BACKEND, 'the OpenAI test server has no Aleph Alpha routes');
      assert.equal(jsonError(result.stdout).kind, 'not-found');
    });
  });

  describe('render', () => {
    it('exits 0 when the template renders, 1 on template errors, 2 on usage errors', async () => {
      const ok = await run(['render', path.join(WORKSPACE, 'hello.prompt')]);
      assert.equal(ok.code, EXIT_OK, ok.stderr);
      assert.match(ok.stdout, /surprising fact about the otter/);
      const broken = await run(['render', path.join(WORKSPACE, 'prompt-files', 'broken.prompt')]);
      assert.equal(broken.code, EXIT_TEMPLATE);
      assert.match(broken.stderr, /broken\.prompt:6:12: error: Undefined variable: nme/);
      const missing = await run(['render', path.join(WORKSPACE, 'no-such.prompt'), '--json']);
      assert.equal(missing.code, EXIT_USAGE);
      assert.equal(jsonError(missing.stdout).kind, 'usage');
      const flag = await run(['render', path.join(WORKSPACE, 'hello.prompt'), '--frob']);
      assert.equal(flag.code, EXIT_USAGE);
      assert.match(flag.stderr, /exit codes: 0 rendered, 1 the template has errors/);
    });
  });

  it('exits 0 without a word when the reader closes stdout early (| head)', async () => {
    // ~1 MB of output (one line per token), far more than a pipe buffers.
    const prompt = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ');
    const result = await run(['tokenize', ...openai(), '--prompt', prompt], {}, true);
    assert.ok(result.stdout.length > 0, 'some output arrived before the reader stopped');
    assert.equal(result.stderr, '');
    assert.equal(result.code, EXIT_OK);
  });

  describe('--timeout', () => {
    let silent: Awaited<ReturnType<typeof startSilentServer>>;
    before(async () => {
      silent = await startSilentServer();
    });
    after(() => silent.close());

    it('gives up after --timeout SECONDS of silence, and its message points at --timeout', async () => {
      const result = await run([
        'complete',
        '--backend',
        'llama-cpp',
        '--url',
        silent.url,
        '--prompt',
        'x',
        '--timeout',
        '1',
        '--json',
      ]);
      assert.equal(result.code, EXIT_BACKEND, result.stderr);
      assert.ok(result.ms < 10_000, `it took ${result.ms} ms`);
      const error = jsonError(result.stdout);
      assert.equal(error.kind, 'timeout');
      // A shorter --timeout shortens the connect timeout too; the message names the flag that fired.
      assert.match(error.message, /sent nothing within 1 s \(the connect timeout: --connect-timeout\)/);
      assert.doesNotMatch(`${error.message}\n${result.stderr}`, /setting|promptLens\./i);
    });

    it('--connect-timeout bounds the wait for the first byte apart from --timeout', async () => {
      const result = await run([
        'models',
        '--backend',
        'openai',
        '--url',
        silent.url,
        '--connect-timeout',
        '0.5',
        '--json',
      ]);
      assert.equal(result.code, EXIT_BACKEND, result.stderr);
      const error = jsonError(result.stdout);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /accepted the connection but sent nothing within 0\.5 s/);
      assert.match(error.message, /--connect-timeout/);
      const bad = await run(['models', '--connect-timeout', '0']);
      assert.equal(bad.code, EXIT_USAGE);
      assert.match(bad.stderr, /--connect-timeout takes a number of seconds/);
    });
  });

  it('documents every exit code in --help and in the README', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, EXIT_OK);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const cliSection = readme.slice(readme.indexOf('## Command line'));
    for (const code of [EXIT_OK, EXIT_TEMPLATE, EXIT_USAGE, EXIT_BACKEND]) {
      assert.match(help.stdout, new RegExp(`^ {2}${code} {2}\\S`, 'm'), `--help lists exit code ${code}`);
      assert.match(cliSection, new RegExp(`^\\| ${code}\\s+\\|`, 'm'), `the README lists exit code ${code}`);
    }
    for (const flag of [/--timeout SECONDS/, /--connect-timeout SECONDS/]) {
      assert.match(help.stdout, flag);
      assert.match(cliSection, flag);
    }
  });
});
