import * as assert from 'node:assert/strict';
import { generate, logprobOf, tokenizeText } from '../../fixtures/openai/model';
import { MODEL_ID, startOpenAiServer, type OpenAiTestServer } from '../../fixtures/openai/server';
import { oneLine, runCli } from './runCli';

describe('promptlens commands (in-process, OpenAI test server)', () => {
  let server: OpenAiTestServer;
  let echoless: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer({ echo: 'vllm' });
    echoless = await startOpenAiServer({ echo: 'ignore' });
  });
  after(async () => {
    await server.close();
    await echoless.close();
  });
  const on = (target: OpenAiTestServer = server) => [
    '--backend',
    'openai',
    '--url',
    `${target.url}/v1`,
    '--model',
    MODEL_ID,
  ];
  const lastBody = () => server.requests[server.requests.length - 1]?.body as Record<string, unknown>;

  describe('complete', () => {
    it('prints the completion', async () => {
      const run = await runCli(['complete', ...on(), '--prompt', 'The cat', '--max-tokens', '3']);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `${generate(tokenizeText('The cat'), 3, []).tokens.join('')}\n`);
      assert.equal(run.stderr, '');
    });

    it('prints exactly one JSON object with --json, with tokens and top alternatives', async () => {
      const run = await runCli([
        'complete',
        ...on(),
        '--prompt',
        'The cat',
        '--max-tokens',
        '2',
        '--log-probs',
        '2',
        '--temperature',
        '0',
        '--stop',
        'x',
        '--stop',
        'y',
        '--json',
      ]);
      assert.equal(run.code, 0);
      const output = JSON.parse(run.stdout) as {
        completions: {
          text: string;
          finishReason: string;
          tokens: { text: string; logprob: number; top: unknown[] }[];
        }[];
      };
      assert.equal(output.completions.length, 1);
      const completion = output.completions[0];
      assert.equal(completion?.finishReason, 'length');
      assert.equal(completion?.tokens.length, 2);
      assert.deepEqual(Object.keys(completion?.tokens[0] ?? {}), ['text', 'logprob', 'top']);
      assert.equal(completion?.tokens[0]?.logprob, logprobOf(' cat', completion?.tokens[0]?.text ?? ''));
      assert.equal(completion?.tokens[0]?.top.length, 2);
      assert.deepEqual(lastBody().stop, ['x', 'y']);
      assert.equal(lastBody().temperature, 0);
    });

    it('streams the text with --stream', async () => {
      const run = await runCli(['complete', ...on(), '--prompt', 'The cat', '--max-tokens', '3', '--stream']);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `${generate(tokenizeText('The cat'), 3, []).tokens.join('')}\n`);
      assert.equal(lastBody().stream, true);
    });

    it('prints one JSON object with --stream --json', async () => {
      const run = await runCli([
        'complete',
        ...on(),
        '--prompt',
        'The cat',
        '--max-tokens',
        '3',
        '--stream',
        '--json',
      ]);
      const output = JSON.parse(run.stdout) as { completions: { text: string; finishReason: string }[] };
      assert.equal(output.completions[0]?.text, generate(tokenizeText('The cat'), 3, []).tokens.join(''));
      assert.equal(output.completions[0]?.finishReason, 'length');
    });
  });

  describe('evaluate', () => {
    it('prints log P(expected | prompt) as one JSON object', async () => {
      const run = await runCli([
        'evaluate',
        ...on(),
        '--prompt',
        'The cat',
        '--expected',
        ' sat on',
        '--json',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(output).slice(0, 3), ['logProbability', 'tokenCount', 'tokens']);
      assert.ok(
        Math.abs((output.logProbability as number) - (logprobOf(' cat', ' sat') + logprobOf(' sat', ' on'))) <
          1e-9,
      );
      assert.equal(output.tokenCount, 2);
      assert.equal(typeof output.perplexityPerToken, 'number');
    });

    it('needs --expected: usage error, exit 2', async () => {
      const run = await runCli(['evaluate', ...on(), '--prompt', 'The cat']);
      assert.equal(run.code, 2);
      assert.ok(oneLine(run.stderr));
      assert.match(run.stderr, /^promptlens evaluate: give --expected/);
    });

    it('fails with exit 3 and one line where the server cannot score', async () => {
      const run = await runCli(['evaluate', ...on(echoless), '--prompt', 'The cat', '--expected', ' sat']);
      assert.equal(run.code, 3);
      assert.ok(oneLine(run.stderr), run.stderr);
      assert.match(run.stderr, /^promptlens evaluate: This server cannot score a prompt: /);
      assert.equal(run.stdout, '');
    });
  });

  describe('explain, tokenize, models', () => {
    it('explain works by occlusion on a backend without native explanations (--json has the cost)', async () => {
      const run = await runCli([
        'explain',
        ...on(),
        '--prompt',
        'The cat',
        '--target',
        ' sat',
        '--granularity',
        'word',
        '--json',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout) as {
        explanations: { spans: { text: string }[] }[];
        cost: { calls: number };
      };
      assert.deepEqual(
        output.explanations[0]?.spans.map((span) => span.text),
        ['The', 'cat'],
      );
      assert.equal(output.cost.calls, 3);
    });

    it('explain of a .prompt file without `target:` explains its `expected:`, as the editor and panel do', async () => {
      const file = '/prompts/expected-only.prompt';
      const run = await runCli(
        ['explain', ...on(), file, '--granularity', 'word', '--json'],
        {},
        { [file]: '---\nexpected: " sat"\n---\nThe cat' },
      );
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout) as { explanations: { target: string }[] };
      assert.equal(output.explanations[0]?.target, ' sat');
    });

    it('tokenize prints {"tokens":[{"id","text"}]}', async () => {
      const run = await runCli(['tokenize', ...on(), '--prompt', 'The cat sat', '--json']);
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout) as { tokens: { id: number; text: string }[] };
      assert.deepEqual(
        output.tokens.map((token) => token.text),
        ['The', ' cat', ' sat'],
      );
      assert.ok(output.tokens.every((token) => Number.isInteger(token.id)));
    });

    it('models prints {"models":[{"id",...}]}', async () => {
      const run = await runCli(['models', ...on(), '--json']);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { models: [{ id: MODEL_ID, maxContextSize: 4096 }] });
    });
  });

  describe('the token', () => {
    it('comes from PROMPTLENS_TOKEN, or the variable named by --token-env, and goes as Bearer', async () => {
      await runCli(['models', ...on()], { PROMPTLENS_TOKEN: 'sk-default' });
      assert.equal(server.requests[server.requests.length - 1]?.headers.authorization, 'Bearer sk-default');
      await runCli(['models', ...on(), '--token-env', 'MY_KEY'], {
        MY_KEY: 'sk-mine',
        PROMPTLENS_TOKEN: 'sk-default',
      });
      assert.equal(server.requests[server.requests.length - 1]?.headers.authorization, 'Bearer sk-mine');
    });

    it('is refused as a flag, without echoing it', async () => {
      for (const argv of [
        ['--token', 'sk-flag-secret'],
        ['--token=sk-flag-secret'],
        ['--api-key=sk-flag-secret'],
      ]) {
        const run = await runCli(['complete', ...on(), '--prompt', 'x', ...argv]);
        assert.equal(run.code, 2);
        assert.ok(oneLine(run.stderr));
        assert.ok(!run.stderr.includes('sk-flag-secret'));
        assert.match(run.stderr, /never taken from the command line/);
      }
    });

    it('is never printed when the server rejects it', async () => {
      const guarded = await startOpenAiServer({ requireToken: 'sk-right' });
      try {
        const run = await runCli(['models', '--backend', 'openai', '--url', guarded.url], {
          PROMPTLENS_TOKEN: 'sk-wrong-SECRET',
        });
        assert.equal(run.code, 3);
        assert.ok(oneLine(run.stderr));
        assert.match(run.stderr, /rejected the API token/);
        assert.ok(!run.stderr.includes('sk-wrong-SECRET') && !run.stdout.includes('sk-wrong-SECRET'));
      } finally {
        await guarded.close();
      }
    });
  });

  describe('usage', () => {
    const usageCases: [string, string[], RegExp][] = [
      ['no command', [], /^usage: promptlens/],
      ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
      ['an unknown option', ['complete', '--prompt', 'x', '--frob=1'], /unknown option --frob \(see/],
      ['a bad number', ['complete', '--prompt', 'x', '--max-tokens', 'many'], /--max-tokens takes a number/],
      ['a bad backend', ['complete', '--prompt', 'x', '--backend', 'gpt'], /--backend must be/],
      [
        'a bad granularity',
        ['explain', '--prompt', 'x', '--target', 'y', '--granularity', 'line'],
        /--granularity takes one of/,
      ],
      ['no prompt', ['complete', '--backend', 'openai'], /give --prompt TEXT or a .prompt FILE/],
      [
        'both prompt and file',
        ['complete', 'a.prompt', '--prompt', 'x'],
        /either --prompt TEXT or a prompt FILE/,
      ],
      ['a missing file', ['complete', 'missing.prompt'], /cannot read missing.prompt/],
    ];
    for (const [what, argv, message] of usageCases) {
      it(`exits 2 with one line on ${what}`, async () => {
        const run = await runCli(argv);
        assert.equal(run.code, 2);
        if (argv.length > 0) assert.ok(oneLine(run.stderr), run.stderr);
        assert.match(run.stderr, message);
      });
    }

    it('prints the version', async () => {
      const run = await runCli(['--version']);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/);
    });

    it('exits 3 with one line when the server is unreachable', async () => {
      const run = await runCli(['models', '--backend', 'openai', '--url', 'http://127.0.0.1:1']);
      assert.equal(run.code, 3);
      assert.ok(oneLine(run.stderr));
      assert.match(run.stderr, /^promptlens models: Could not connect to http:\/\/127\.0\.0\.1:1/);
    });
  });

  describe('prompt files', () => {
    const file = [
      '---',
      'backend: openai',
      `model: ${MODEL_ID}`,
      'params:',
      '  max_tokens: 2',
      'expected: " sat"',
      '---',
      'The cat',
    ].join('\n');

    it('takes backend, model, params and expected from the front matter; flags override', async () => {
      const run = await runCli(
        ['complete', 'quiz.prompt', '--url', server.url, '--json'],
        {},
        { 'quiz.prompt': file },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(lastBody().max_tokens, 2);
      assert.equal(lastBody().model, MODEL_ID);
      assert.equal(lastBody().prompt, 'The cat');
      const evaluated = await runCli(
        ['evaluate', 'quiz.prompt', '--url', server.url, '--json'],
        {},
        { 'quiz.prompt': file },
      );
      assert.equal(evaluated.code, 0, evaluated.stderr);
      assert.equal((JSON.parse(evaluated.stdout) as { tokenCount: number }).tokenCount, 1);
      await runCli(
        ['complete', 'quiz.prompt', '--url', server.url, '--model', 'other'],
        {},
        { 'quiz.prompt': file },
      );
      assert.equal(lastBody().model, 'other');
    });

    it('refuses a front matter naming an editor profile unless --backend is given', async () => {
      const profile = file.replace('backend: openai', 'backend: local-llama');
      const run = await runCli(['complete', 'p.prompt', '--url', server.url], {}, { 'p.prompt': profile });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /profile "local-llama"/);
      const overridden = await runCli(
        ['complete', 'p.prompt', '--backend', 'openai', '--url', server.url],
        {},
        { 'p.prompt': profile },
      );
      assert.equal(overridden.code, 0, overridden.stderr);
    });
  });
});
