import * as assert from 'node:assert/strict';
import type { BackendOptions, CompletionDelta } from '../../../../../src/core/backend';
import { OpenAiBackend } from '../../../../../src/core/backends/openai';
import {
  AuthenticationError,
  CancelledError,
  ConnectionError,
  ContextOverflowError,
  InvalidResponseError,
  ServerError,
  UnsupportedError,
} from '../../../../../src/core/errors';
import { generate, logprobOf, tokenizeText, topAfter } from '../../../../fixtures/openai/model';
import {
  MODEL_ID,
  startOpenAiServer,
  type OpenAiServerOptions,
  type OpenAiTestServer,
} from '../../../../fixtures/openai/server';

const FAST_RETRY = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2 };

async function rejects(
  promise: Promise<unknown>,
  type: new (...args: never[]) => Error,
  pattern?: RegExp,
): Promise<Error> {
  let caught: unknown;
  await promise.catch((error: unknown) => (caught = error));
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  if (pattern) assert.match(caught.message, pattern);
  return caught;
}

async function collect(
  deltas: AsyncIterable<CompletionDelta>,
  seen: CompletionDelta[] = [],
): Promise<CompletionDelta[]> {
  for await (const delta of deltas) seen.push(delta);
  return seen;
}

describe('OpenAiBackend against the test server', () => {
  let server: OpenAiTestServer;
  let backend: OpenAiBackend;

  async function start(
    serverOptions: OpenAiServerOptions = {},
    backendOptions: Partial<BackendOptions> = {},
  ): Promise<void> {
    server = await startOpenAiServer(serverOptions);
    backend = new OpenAiBackend({
      url: `${server.url}/v1`,
      model: MODEL_ID,
      retry: FAST_RETRY,
      ...backendOptions,
    });
  }
  afterEach(async () => {
    await backend.close();
    await server.close();
  });

  const lastBody = (): Record<string, unknown> =>
    server.requests[server.requests.length - 1]?.body as Record<string, unknown>;

  describe('complete', () => {
    beforeEach(() => start());

    it('returns the completion with its finish reason and sends the OpenAI fields', async () => {
      const prompt = 'The cat';
      const result = await backend.complete({ prompt, maxTokens: 3, temperature: 0, stop: ['zzz'], seed: 7 });
      const expected = generate(tokenizeText(prompt), 3, []);
      assert.equal(result.completions[0]?.text, expected.tokens.join(''));
      assert.equal(result.completions[0]?.finishReason, 'length');
      assert.deepEqual(result.completions[0]?.tokens, []);
      assert.deepEqual(result.usage, { promptTokens: 2, completionTokens: 3 });
      assert.deepEqual(lastBody(), {
        prompt,
        max_tokens: 3,
        model: MODEL_ID,
        temperature: 0,
        stop: ['zzz'],
        seed: 7,
      });
      assert.equal(server.requests[0]?.path, '/v1/completions');
      assert.match(String(server.requests[0]?.headers['user-agent']), /^PromptLens\/\d+\.\d+\.\d+/);
    });

    it('maps a stop string to finishReason stop', async () => {
      const first = generate(tokenizeText('The cat'), 1, []).tokens[0] ?? '';
      const result = await backend.complete({ prompt: 'The cat', maxTokens: 5, stop: [first.trim()] });
      assert.equal(result.completions[0]?.finishReason, 'stop');
    });

    it('returns each token with its log-probability and the top alternatives (classic shape)', async () => {
      const result = await backend.complete({ prompt: 'The cat', maxTokens: 2, logProbs: 2 });
      const tokens = result.completions[0]?.tokens ?? [];
      assert.equal(tokens.length, 2);
      assert.equal(tokens[0]?.logprob, logprobOf(' cat', tokens[0]?.text ?? ''));
      assert.deepEqual(
        tokens[0]?.top,
        topAfter(' cat', 2).map((top) => ({ text: top.token, logprob: top.logprob })),
      );
      assert.equal(lastBody().logprobs, 2);
    });

    it('asks for one alternative when 0 are wanted and returns none', async () => {
      const result = await backend.complete({ prompt: 'The cat', maxTokens: 2, logProbs: 0 });
      assert.equal(lastBody().logprobs, 1);
      assert.ok(
        result.completions[0]?.tokens.every(
          (token) => token.top.length === 0 && typeof token.logprob === 'number',
        ),
      );
    });

    it('lets front-matter params override the typed fields', async () => {
      await backend.complete({ prompt: 'x', maxTokens: 5, params: { max_tokens: 2, presence_penalty: 0.5 } });
      assert.equal(lastBody().max_tokens, 2);
      assert.equal(lastBody().presence_penalty, 0.5);
    });

    it('sends token-id prompts as an array and refuses images without a request', async () => {
      await backend
        .complete({
          prompt: [
            { type: 'token_ids', ids: [1, 2] },
            { type: 'token_ids', ids: [3] },
          ],
          maxTokens: 1,
        })
        .catch(() => undefined);
      assert.deepEqual(lastBody().prompt, [1, 2, 3]);
      const before = server.requests.length;
      await rejects(
        backend.complete({ prompt: [{ type: 'image', data: 'AAAA' }], maxTokens: 1 }),
        UnsupportedError,
      );
      assert.equal(server.requests.length, before);
    });

    it('retries a 503 and surfaces malformed JSON as InvalidResponseError', async () => {
      server.faults.push({ kind: 'status', status: 503 });
      await backend.complete({ prompt: 'x', maxTokens: 1 });
      assert.equal(server.requests.length, 2);
      server.faults.push({ kind: 'malformedJson' });
      await rejects(backend.complete({ prompt: 'x', maxTokens: 1 }), InvalidResponseError);
    });

    it('cancels with the signal', async () => {
      await rejects(
        backend.complete({ prompt: 'x', maxTokens: 1, signal: AbortSignal.abort() }),
        CancelledError,
      );
    });
  });

  describe('base URL', () => {
    for (const suffix of ['', '/', '/v1', '/v1/']) {
      it(`accepts "${suffix}" after the host`, async () => {
        server = await startOpenAiServer();
        backend = new OpenAiBackend({ url: `${server.url}${suffix}` });
        await backend.models();
        assert.equal(server.requests[0]?.path, '/v1/models');
      });
    }
  });

  describe('stream', () => {
    beforeEach(() => start());

    it('streams the same text as complete, ending with the finish reason and usage', async () => {
      const deltas = await collect(backend.stream({ prompt: 'The cat', maxTokens: 4, logProbs: 1 }));
      const whole = await backend.complete({ prompt: 'The cat', maxTokens: 4 });
      assert.equal(deltas.map((delta) => delta.text).join(''), whole.completions[0]?.text);
      const last = deltas[deltas.length - 1];
      assert.equal(last?.finishReason, 'length');
      assert.deepEqual(last?.usage, { promptTokens: 2, completionTokens: 4 });
      assert.equal(deltas.flatMap((delta) => delta.tokens).length, 4);
      assert.equal(server.requests[0]?.headers.accept, 'text/event-stream');
    });

    it('retries a stream that drops before its first event', async () => {
      server.faults.push({ kind: 'cutStream', afterEvents: 0 });
      const deltas = await collect(backend.stream({ prompt: 'The cat', maxTokens: 2 }));
      assert.equal(deltas[deltas.length - 1]?.finishReason, 'length');
      assert.equal(server.requests.length, 2);
    });

    it('does not retry a stream that drops after an event: ConnectionError, text so far kept', async () => {
      server.faults.push({ kind: 'cutStream', afterEvents: 2 });
      const seen: CompletionDelta[] = [];
      await rejects(collect(backend.stream({ prompt: 'The cat', maxTokens: 4 }), seen), ConnectionError);
      assert.equal(seen.length, 2);
      assert.equal(server.requests.length, 1);
    });

    for (const style of ['data', 'line'] as const) {
      it(`reports a mid-stream error (${style === 'data' ? 'data: {"error"}' : 'old error: line'}) as a ServerError`, async () => {
        server.faults.push({ kind: 'midStreamError', afterEvents: 1, style });
        await rejects(
          collect(backend.stream({ prompt: 'The cat', maxTokens: 4 })),
          ServerError,
          /generation failed/,
        );
      });
    }
  });

  describe('evaluate', () => {
    it('scores the expected text from the echoed prompt log-probabilities (vLLM)', async () => {
      await start({ echo: 'vllm' });
      const result = await backend.evaluate({ prompt: 'The cat', expected: ' sat on' });
      const expectedLogprob = logprobOf(' cat', ' sat') + logprobOf(' sat', ' on');
      assert.ok(
        Math.abs(result.logProbability - expectedLogprob) < 1e-9,
        `${result.logProbability} vs ${expectedLogprob}`,
      );
      assert.deepEqual(
        result.tokens.map((token) => token.text),
        [' sat', ' on'],
      );
      assert.equal(result.tokenCount, 2);
      assert.equal(result.characterCount, 7);
      assert.ok(Math.abs(result.perplexityPerToken - Math.exp(-expectedLogprob / 2)) < 1e-9);
      const greedy = topAfter(' cat', 1)[0]?.token === ' sat' && topAfter(' sat', 1)[0]?.token === ' on';
      assert.equal(result.correctGreedy, greedy);
      assert.deepEqual(lastBody(), {
        prompt: 'The cat sat on',
        echo: true,
        max_tokens: 1,
        logprobs: 1,
        temperature: 0,
        model: MODEL_ID,
      });
    });

    it('knows greedy decoding produces its own continuation', async () => {
      await start({ echo: 'vllm' });
      const continuation = generate(tokenizeText('The cat'), 3, []).tokens.join('');
      const result = await backend.evaluate({ prompt: 'The cat', expected: continuation });
      assert.equal(result.correctGreedy, true);
    });

    it('throws UnsupportedError where echo is ignored (llama.cpp)', async () => {
      await start({ echo: 'ignore' });
      await rejects(
        backend.evaluate({ prompt: 'The cat', expected: ' sat' }),
        UnsupportedError,
        /This server cannot score a prompt/,
      );
    });

    it('throws UnsupportedError for an empty prompt (no log-probability for the first token)', async () => {
      await start({ echo: 'vllm' });
      await rejects(
        backend.evaluate({ prompt: '', expected: 'The cat' }),
        UnsupportedError,
        /non-empty prompt/,
      );
    });
  });

  describe('tokenize, models and capabilities', () => {
    it('tokenizes and detokenizes through vLLM endpoints', async () => {
      await start({ echo: 'vllm' });
      const tokens = await backend.tokenize({ text: 'The cat sat' });
      assert.deepEqual(
        tokens.map((token) => token.text),
        ['The', ' cat', ' sat'],
      );
      assert.equal(await backend.detokenize({ ids: tokens.map((token) => token.id) }), 'The cat sat');
      assert.equal(server.requests[0]?.path, '/tokenize');
    });

    it('throws UnsupportedError where there is no /tokenize', async () => {
      await start({ echo: 'ignore' });
      await rejects(backend.tokenize({ text: 'x' }), UnsupportedError, /tokenizer/);
    });

    it('lists models with their context size', async () => {
      await start({ echo: 'vllm' });
      assert.deepEqual(await backend.models(), [{ id: MODEL_ID, maxContextSize: 4096 }]);
    });

    it('reports full capabilities for vLLM and limited ones for llama.cpp, as data', async () => {
      await start({ echo: 'vllm' });
      const full = await backend.capabilities();
      assert.equal(full.score, true);
      assert.equal(full.explainNatively, false);
      assert.equal('explain' in backend, false);
      await backend.close();
      await server.close();
      await start({ echo: 'ignore' });
      const limited = await backend.capabilities();
      assert.equal(limited.score, false);
      assert.equal(limited.tokenize, false);
      assert.match(limited.notes[0] ?? '', /llama\.cpp/);
    });
  });

  describe('authentication', () => {
    it('sends the token as Bearer and maps a rejection to AuthenticationError', async () => {
      await start({ requireToken: 'sk-right' }, { token: 'sk-right' });
      await backend.models();
      assert.equal(server.requests[0]?.headers.authorization, 'Bearer sk-right');
      await backend.close();
      backend = new OpenAiBackend({ url: server.url, token: 'sk-wrong' });
      const error = await rejects(backend.models(), AuthenticationError);
      assert.ok(!error.message.includes('sk-wrong'));
    });

    it('maps context overflow to ContextOverflowError', async () => {
      await start();
      server.faults.push({
        kind: 'status',
        status: 400,
        body: JSON.stringify({
          object: 'error',
          message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
          type: 'BadRequestError',
          code: 400,
        }),
      });
      const error = await rejects(backend.complete({ prompt: 'x', maxTokens: 1 }), ContextOverflowError);
      assert.equal((error as ContextOverflowError).contextSize, 4096);
    });
  });
});
