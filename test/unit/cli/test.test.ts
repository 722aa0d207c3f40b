import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { globRegex } from '../../../src/cli/commands/testFiles';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import { runCli } from './runCli';

const PROMPT = `---
params: { n_predict: 4 }
tests:
  - name: passes
    vars: { country: France }
    expect:
      - notContains: "<never>"
      - logprob: { of: " Paris", min: -1000 }
  - name: fails
    vars: { country: Japan }
    expect:
      - contains: "<never>"
  - file: cases.jsonl
---
Q: What is the capital of {{ country }}?
A:`;

describe('promptlens test (llama.cpp test server, real files)', () => {
  let server: LlamaCppServerHandle;
  let dir: string;
  let cwd: string;
  const files = async (name: string) => {
    const full = path.join(dir, name);
    return { [full]: await fs.readFile(full, 'utf8') };
  };
  before(async () => {
    server = await startLlamaCppServer({ slots: 2, embeddings: true });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'promptlens-cli-test-'));
    await fs.mkdir(path.join(dir, 'suite'));
    await fs.writeFile(path.join(dir, 'suite', 'capitals.prompt'), PROMPT);
    await fs.writeFile(
      path.join(dir, 'suite', 'cases.jsonl'),
      '{"name":"peru","vars":{"country":"Peru"},"expect":[{"notContains":"<never>"}]}\n',
    );
    await fs.writeFile(
      path.join(dir, 'suite', 'green.prompt'),
      '---\ntests:\n  - { name: green, expect: [{ notContains: "<never>" }] }\n---\nHello',
    );
    cwd = process.cwd();
    process.chdir(dir);
  });
  after(async () => {
    process.chdir(cwd);
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => server.resetStats());
  const url = () => ['--backend', 'llama-cpp', '--url', server.url];
  const run = async (args: string[]) =>
    runCli(
      ['test', ...args, ...url()],
      {},
      { ...(await files('suite/capitals.prompt')), ...(await files('suite/green.prompt')) },
    );

  it('writes the JUnit file a CI system reads and exits 1 when a case fails; progress goes to stderr', async () => {
    const result = await run(['suite/capitals.prompt', '--reporter', 'junit', '--out', 'report.xml']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const xml = await fs.readFile(path.join(dir, 'report.xml'), 'utf8');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites/);
    assert.match(xml, /<testsuite name="suite\/capitals\.prompt" tests="3" failures="1" errors="0"/);
    assert.match(xml, /<testcase name="passes" classname="suite\/capitals\.prompt"/);
    assert.match(xml, /<testcase name="peru" classname="suite\/capitals\.prompt"/);
    assert.match(
      xml,
      /<testcase name="fails" classname="suite\/capitals\.prompt" time="[\d.]+">\n\s+<failure message="contains &quot;&lt;never&gt;&quot;: does not hold; the completion was /,
    );
    assert.match(result.stderr, /\[3\/3\] /);
    assert.match(result.stderr, /1 failed/);
  });

  it('exits 0 when every case passes; globs are expanded', async () => {
    const result = await run(['suite/gr*.prompt']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /ok {3}green/);
  });

  it('--dry-run counts cases, calls and prompt tokens without a completion request', async () => {
    const before = server.requests.length;
    const result = await run(['suite', '--dry-run', '--reporter', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const paths = server.requests.slice(before).map((r) => r.path);
    assert.ok(paths.includes('/tokenize'));
    assert.ok(!paths.includes('/completion'));
    const plans = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { cases: number; calls: { total: number }; promptTokens: number });
    assert.equal(plans[0]?.cases, 4);
    assert.equal(plans[0]?.calls.total, 5); // 4 completions, 1 scoring
    assert.ok((plans[0]?.promptTokens ?? 0) > 0);
  });

  it('--baseline marks regressions and fixes from an earlier JSON report', async () => {
    await run(['suite/capitals.prompt', '--reporter', 'json', '--out', 'before.json']);
    const earlier = JSON.parse(await fs.readFile(path.join(dir, 'before.json'), 'utf8')) as {
      files: { cases: { name: string; verdict: string }[] }[];
    };
    for (const c of earlier.files[0]!.cases) c.verdict = c.name === 'fails' ? 'passed' : 'failed';
    await fs.writeFile(path.join(dir, 'before.json'), JSON.stringify(earlier));
    const result = await run(['suite/capitals.prompt', '--baseline', 'before.json']);
    assert.match(result.stdout, /FAIL fails \(\d+ ms\) \[regression\]/);
    assert.match(result.stdout, /against the baseline: 1 regressions, 2 fixes/);
  });

  it('exits 2 on usage errors and 3 when the backend cannot be reached', async () => {
    assert.equal((await run(['suite', '--reporter', 'xml'])).code, 2);
    assert.equal((await run(['suite', '--concurrency', '0'])).code, 2);
    assert.equal((await run(['nothing-here'])).code, 2);
    assert.equal(
      (await run(['suite', '--deadline', '0'])).code,
      2,
      'the shared network flags are checked as elsewhere',
    );
    const down = await runCli(
      ['test', 'suite/green.prompt', '--backend', 'llama-cpp', '--url', 'http://127.0.0.1:9'],
      {},
      await files('suite/green.prompt'),
    );
    assert.equal(down.code, 3);
  });

  it('globs: ** crosses folders, * does not', () => {
    assert.ok(globRegex('**/*.prompt').test('a/b/c.prompt'));
    assert.ok(globRegex('**/*.prompt').test('c.prompt'));
    assert.ok(!globRegex('*.prompt').test('a/c.prompt'));
  });
});

describe('promptlens embed', () => {
  it('prints the embedding as JSON on llama.cpp, and says clearly when the server has none', async () => {
    const server = await startLlamaCppServer({ embeddings: true });
    const plain = await startLlamaCppServer();
    try {
      const ok = await runCli([
        'embed',
        '--backend',
        'llama-cpp',
        '--url',
        server.url,
        '--prompt',
        'Paris',
        '--json',
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      const body = JSON.parse(ok.stdout) as { embedding: number[]; dimensions: number };
      assert.equal(body.dimensions, 32);
      const none = await runCli(['embed', '--backend', 'llama-cpp', '--url', plain.url, '--prompt', 'Paris']);
      assert.equal(none.code, 3);
      assert.match(none.stderr, /--embeddings/);
      const wrong = await runCli([
        'embed',
        '--backend',
        'llama-cpp',
        '--url',
        server.url,
        '--prompt',
        'x',
        '--layers',
        '0',
      ]);
      assert.equal(wrong.code, 2);
    } finally {
      await server.close();
      await plain.close();
    }
  });
});

describe('promptlens embed on Aleph Alpha', () => {
  it('semantic (--representation, --compress-to-size) and raw (--layers, --pooling) embeddings', async () => {
    const { startAlephAlphaServer } = await import('../../fixtures/alephAlpha');
    const server = await startAlephAlphaServer({ token: 'embed-token' });
    try {
      const on = [
        '--backend',
        'aleph-alpha',
        '--url',
        server.url,
        '--model',
        'luminous-base',
        '--prompt',
        'Paris',
      ];
      const env = { PROMPTLENS_TOKEN: 'embed-token' };
      const semantic = await runCli(
        ['embed', ...on, '--representation', 'query', '--compress-to-size', '128', '--json'],
        env,
      );
      assert.equal(semantic.code, 0, semantic.stderr);
      assert.equal((JSON.parse(semantic.stdout) as { dimensions: number }).dimensions, 128);
      const sent = server.requests.at(-1);
      assert.equal(sent?.endpoint, 'batch_semantic_embed');
      assert.deepEqual(
        [
          (sent?.body as Record<string, unknown>)['representation'],
          (sent?.body as Record<string, unknown>)['compress_to_size'],
        ],
        ['query', 128],
      );
      const raw = await runCli(['embed', ...on, '--layers', '0,-1', '--pooling', 'mean,max', '--json'], env);
      assert.equal(raw.code, 0, raw.stderr);
      const layers = (JSON.parse(raw.stdout) as { embeddings: Record<string, Record<string, number[]>> })
        .embeddings;
      assert.deepEqual(Object.keys(layers).sort(), ['layer_0', 'layer_4']);
      assert.deepEqual(Object.keys(layers['layer_0'] ?? {}).sort(), ['max', 'mean']);
      assert.equal((await runCli(['embed', ...on, '--pooling', 'median'], env)).code, 2);
    } finally {
      await server.close();
    }
  });
});
