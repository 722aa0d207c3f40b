import * as assert from 'node:assert/strict';
import { LlamaCppBackend } from '../../../../../src/core/backends/llamaCpp';
import type { CompletionDelta } from '../../../../../src/core/backend';
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ContextOverflowError,
  InvalidResponseError,
  ServerError,
  UnsupportedError,
} from '../../../../../src/core/errors';
import {
  startLlamaCppServer,
  type LlamaCppServerHandle,
  type LlamaCppServerOptions,
} from '../../../../fixtures/llamaCpp';

/** log P(target | prompt) token by token straight from the toy model (the ground truth). */
function tokenByToken(
  server: LlamaCppServerHandle,
  prompt: string,
  expected: string,
): { ids: number[]; logprobs: number[] } {
  const model = server.model;
  const joint = model.tokenize(prompt + expected, { addSpecial: true, parseSpecial: true });
  const alone = model.tokenize(prompt, { addSpecial: true, parseSpecial: true });
  let n = 0;
  while (n < alone.length && joint[n] === alone[n]) n++;
  const ids = joint.slice(n);
  return { ids, logprobs: ids.map((id, k) => model.logProbs(joint.slice(0, n + k))[id] ?? Number.NaN) };
}

async function collect(stream: AsyncIterable<CompletionDelta>): Promise<CompletionDelta[]> {
  const deltas: CompletionDelta[] = [];
  for await (const delta of stream) deltas.push(delta);
  return deltas;
}

interface Setup {
  server: LlamaCppServerHandle;
  backend: LlamaCppBackend;
  sleeps: number[];
}

async function setup(options: LlamaCppServerOptions = {}, token?: string): Promise<Setup> {
  const server = await startLlamaCppServer(options);
  const sleeps: number[] = [];
  const backend = new LlamaCppBackend(
    {
      url: server.url,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      ...(token !== undefined ? { token } : {}),
    },
    { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  );
  return { server, backend, sleeps };
}

describe('LlamaCppBackend against the test server (current API)', function () {
  this.timeout(30_000);
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(async () => {
    await s.backend.close();
    await s.server.close();
  });

  it('evaluates in one request, equal to token-by-token scoring', async () => {
    const prompt = 'The cat sat on the';
    const expected = ' mat and the dog';
    const truth = tokenByToken(s.server, prompt, expected);
    s.server.requests.length = 0;
    const result = await s.backend.evaluate({ prompt, expected });
    assert.deepEqual(
      result.tokens.map((t) => t.id),
      truth.ids,
    );
    result.tokens.forEach((t, i) => assert.ok(Math.abs(t.logprob - (truth.logprobs[i] ?? 0)) < 1e-9));
    const sum = truth.logprobs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(result.logProbability - sum) < 1e-9);
    assert.equal(result.tokenCount, truth.ids.length);
    assert.ok(
      Math.abs(result.perplexityPerToken - Math.exp(-sum / truth.ids.length)) <
        1e-6 * result.perplexityPerToken,
    );
    // One /completion, after the two of the once-per-server probe.
    const completions = s.server.requests.filter((r) => r.path === '/completion');
    assert.equal(completions.length, 3, 'one /completion and the probe');
    assert.equal(result.cost?.requests, 3);
    assert.equal(result.cost?.probeRequests, 2);
    const body = completions[2]?.body as Record<string, unknown>;
    assert.equal(body['grammar'], `root ::= ${truth.ids.map((id) => `<[${id}]>`).join(' ')}`);
    assert.equal(body['n_predict'], truth.ids.length);
    assert.equal(body['n_probs'], 1);
    assert.equal(body['temperature'], 0);
  });

  it('agrees with n_probs over the full vocabulary read through HTTP', async () => {
    const prompt = 'Hello World';
    const truth = tokenByToken(s.server, prompt, ' hello');
    const joint = s.server.model.tokenize(prompt, { addSpecial: true, parseSpecial: true });
    const reply = await fetch(`${s.server.url}/completion`, {
      method: 'POST',
      body: JSON.stringify({
        prompt: joint,
        n_predict: 1,
        n_probs: s.server.model.vocabSize,
        temperature: 0,
      }),
    });
    const json = (await reply.json()) as {
      completion_probabilities: { top_logprobs: { id: number; logprob: number }[] }[];
    };
    const entry = json.completion_probabilities[0]?.top_logprobs.find((t) => t.id === truth.ids[0]);
    const result = await s.backend.evaluate({ prompt, expected: ' hello' });
    assert.equal(result.tokens[0]?.logprob, entry?.logprob);
  });

  it('moves the boundary back when the prompt merges with the target', async () => {
    // " cat" + "s" tokenizes as " cats": the prompt's last token is not a prefix of the joint tokens.
    const truth = tokenByToken(s.server, 'The cat', 's sat');
    const result = await s.backend.evaluate({ prompt: 'The cat', expected: 's sat' });
    assert.equal(result.extra?.['boundaryMerged'], true);
    assert.equal(result.tokens[0]?.text, ' cats');
    assert.deepEqual(
      result.tokens.map((t) => t.logprob),
      truth.logprobs,
    );
  });

  it('reports correctGreedy for the greedy continuation, and prompt cache usage', async () => {
    const prompt = 'Once upon a time';
    const greedy = await s.backend.complete({ prompt, maxTokens: 3, temperature: 0 });
    const text = greedy.completions[0]?.text ?? '';
    const first = await s.backend.evaluate({ prompt, expected: text, slot: 1 });
    assert.equal(first.correctGreedy, true);
    const other = await s.backend.evaluate({ prompt, expected: ' the cat', slot: 1 });
    assert.equal(other.correctGreedy, false);
    // Same slot, same prompt: only the last prompt token is evaluated again.
    assert.equal(other.usage?.promptTokensCached, (other.usage?.promptTokens ?? 0) - 1);
    assert.equal(other.usage?.promptTokensProcessed, 1);
  });

  it('evaluateBatch batches string prompts in one request, with the same numbers as evaluate', async () => {
    const prompts = ['The cat sat on the', 'The dog sat on the', 'A cat on the', 'The cat '];
    const single = await Promise.all(
      prompts.map((prompt) => s.backend.evaluate({ prompt, expected: ' mat' })),
    );
    s.server.requests.length = 0;
    const many = await s.backend.evaluateBatch(prompts, ' mat');
    assert.equal(many.length, prompts.length);
    many.forEach((r, i) => assert.equal(r.logProbability, single[i]?.logProbability));
    const completions = s.server.requests.filter((r) => r.path === '/completion');
    // The first three share one request; 'The cat ' merges with ' mat' and goes alone.
    assert.equal(completions.length, 2);
    assert.deepEqual((completions[0]?.body as { prompt: unknown }).prompt, prompts.slice(0, 3));
    assert.equal(many[3]?.extra?.['boundaryMerged'], true);
    assert.deepEqual(
      many.map((r) => r.request),
      [0, 0, 0, 1],
    );
    assert.deepEqual(new Set(many.slice(0, 2).map((r) => r.slot)), new Set([0, 1]), 'spread over the slots');
  });

  it('streams deltas that add up to the completion', async () => {
    const request = { prompt: 'The cat', maxTokens: 5, temperature: 0, logProbs: 2 };
    const whole = await s.backend.complete(request);
    const deltas = await collect(s.backend.stream(request));
    const last = deltas.at(-1);
    assert.equal(last?.finishReason, 'length');
    assert.equal(last?.usage?.completionTokens, 5);
    assert.equal(deltas.map((d) => d.text).join(''), whole.completions[0]?.text);
    assert.deepEqual(
      deltas.flatMap((d) => d.tokens),
      whole.completions[0]?.tokens,
    );
    assert.equal(whole.completions[0]?.tokens[0]?.top.length, 2);
  });

  it('passes native parameters through and maps stop words', async () => {
    const probe = await s.backend.complete({ prompt: 'The cat', maxTokens: 4, temperature: 0 });
    const words = (probe.completions[0]?.text ?? '').match(/ ?\S+/g) ?? [];
    const stop = words[1];
    assert.ok(stop);
    const result = await s.backend.complete({
      prompt: 'The cat',
      maxTokens: 4,
      temperature: 0,
      stop: [stop],
      params: { seed: 3, logit_bias: [], cache_prompt: false },
    });
    assert.equal(result.completions[0]?.finishReason, 'stop');
    assert.equal(result.completions[0]?.text, words[0]);
    const sent = s.server.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(sent['seed'], 3);
    assert.equal(sent['cache_prompt'], false);
  });

  it('tokenizes with pieces (byte tokens as bytes) and detokenizes', async () => {
    const tokens = await s.backend.tokenize({ text: 'The cats 😀' });
    assert.equal(tokens[0]?.text, ' The');
    assert.equal(tokens[1]?.text, ' cats');
    assert.equal(await s.backend.detokenize({ ids: tokens.map((t) => t.id) }), ' The cats 😀');
  });

  it('infill answers UnsupportedError on a model without FIM tokens', async () => {
    await assert.rejects(
      s.backend.infill({ inputPrefix: 'def add(a, b):\n    ', inputSuffix: '\n', maxTokens: 3 }),
      UnsupportedError,
    );
  });

  it('one caller giving up on the shared server probe does not cancel it for another', async () => {
    const impatient = new AbortController();
    const first = s.backend.capabilities({ signal: impatient.signal });
    const second = s.backend.capabilities();
    impatient.abort();
    await assert.rejects(first, (error: Error) => error.name === 'CancelledError');
    assert.equal((await second).score, true);
  });

  it('one caller giving up on the shared scoring probe does not cancel it for another', async () => {
    await s.backend.serverInfo();
    const impatient = new AbortController();
    const before = s.server.requests.length;
    const first = s.backend.scoringMethods({ signal: impatient.signal });
    // The first caller's probe is under way (its first request reached the server) before it gives up.
    while (s.server.requests.length === before) await new Promise((resolve) => setTimeout(resolve, 1));
    const second = s.backend.scoringMethods();
    impatient.abort();
    await assert.rejects(first, (error: Error) => error.name === 'CancelledError');
    assert.equal((await second)[0], 'token-id-grammar');
  });

  it('reads models and capabilities', async () => {
    const models = await s.backend.models();
    assert.equal(models[0]?.maxContextSize, 2048);
    const caps = await s.backend.capabilities();
    assert.equal(caps.score, true);
    assert.deepEqual(caps.notes, []);
    assert.equal((await s.backend.health()).status, 'ok');
  });

  describe('faults', () => {
    it('retries a 503 and succeeds', async () => {
      await s.backend.capabilities();
      s.server.setFaults({ statuses: [503] });
      const result = await s.backend.complete({ prompt: 'Hi', maxTokens: 2, temperature: 0 });
      assert.equal(result.completions[0]?.text.length !== undefined, true);
      assert.equal(s.server.stats().faultsServed, 1);
      assert.equal(s.sleeps.length, 1);
    });

    it('honours Retry-After', async () => {
      await s.backend.capabilities();
      s.server.setFaults({ statuses: [{ status: 503, retryAfter: 7 }] });
      await s.backend.complete({ prompt: 'Hi', maxTokens: 2, temperature: 0 });
      assert.deepEqual(s.sleeps, [7000]);
    });

    it('turns a stream cut after two events into a typed error', async () => {
      await s.backend.capabilities();
      s.server.setFaults({ cutStreamAfter: 2 });
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const delta of s.backend.stream({ prompt: 'Hi', maxTokens: 6, temperature: 0 }))
            seen.push(delta.text);
        })(),
        (error: unknown) => error instanceof ConnectionError || error instanceof ServerError,
      );
      assert.equal(seen.length, 2);
    });

    it('keeps the raw body of malformed JSON', async () => {
      await s.backend.capabilities();
      s.server.setFaults({ malformedJson: 1 });
      await assert.rejects(s.backend.complete({ prompt: 'Hi', maxTokens: 2 }), (error: unknown) => {
        assert.ok(error instanceof InvalidResponseError);
        assert.ok(error.rawBody.startsWith('{"index":0'));
        assert.throws(() => JSON.parse(error.rawBody));
        return true;
      });
    });

    it('maps invalid UTF-8 generation (HTTP 500 server_error) to ServerError', async () => {
      await assert.rejects(
        s.backend.complete({
          prompt: 'Hi',
          maxTokens: 1,
          temperature: 0,
          params: { logit_bias: [[254, 100]] },
        }),
        ServerError,
      );
    });

    it('reports an invalid UTF-8 stream as ServerError', async () => {
      await assert.rejects(
        collect(
          s.backend.stream({
            prompt: 'Hi',
            maxTokens: 3,
            temperature: 0,
            params: { logit_bias: [[254, 100]] },
          }),
        ),
        ServerError,
      );
    });
  });
});

describe('LlamaCppBackend errors', function () {
  this.timeout(30_000);

  it('maps a missing API key to AuthenticationError and sends the token as Bearer', async () => {
    const without = await setup({ apiKey: 'secret' });
    await assert.rejects(without.backend.complete({ prompt: 'Hi', maxTokens: 2 }), AuthenticationError);
    await without.backend.close();
    const withKey = new LlamaCppBackend({ url: without.server.url, token: 'secret' });
    const result = await withKey.complete({ prompt: 'Hi', maxTokens: 2 });
    assert.equal(result.completions.length, 1);
    assert.equal(without.server.requests.at(-1)?.headers['authorization'], 'Bearer secret');
    await withKey.close();
    await without.server.close();
  });

  it('maps a context overflow to ContextOverflowError with the token counts', async () => {
    const s = await setup({ nCtx: 32 });
    await assert.rejects(
      s.backend.evaluate({ prompt: 'hello '.repeat(40), expected: ' world' }),
      (error: unknown) => {
        assert.ok(error instanceof ContextOverflowError);
        assert.equal(error.contextSize, 32);
        assert.ok((error.promptTokens ?? 0) > 32);
        return true;
      },
    );
    await s.backend.close();
    await s.server.close();
  });
});

describe('LlamaCppBackend against an old server (legacy mode)', function () {
  this.timeout(60_000);
  let s: Setup;
  beforeEach(async () => {
    s = await setup({ legacy: true });
  });
  afterEach(async () => {
    await s.backend.close();
    await s.server.close();
  });

  it('detects the old server from /props and says what it cannot do', async () => {
    const caps = await s.backend.capabilities();
    assert.ok(caps.notes.length > 0);
    assert.equal((await s.backend.serverInfo()).legacy, true);
  });

  it('evaluates token by token with the same numbers, never sending anything risky', async () => {
    const prompt = 'The cat sat on the';
    const expected = ' mat and the dog';
    const truth = tokenByToken(s.server, prompt, expected);
    const result = await s.backend.evaluate({ prompt, expected });
    result.tokens.forEach((t, i) =>
      assert.ok(Math.abs(t.logprob - (truth.logprobs[i] ?? 0)) < 1e-9, `token ${i}`),
    );
    const completions = s.server.requests
      .filter((r) => r.path === '/completion')
      .map((r) => r.body as Record<string, unknown>);
    assert.ok(completions.length >= truth.ids.length);
    for (const body of completions) {
      assert.equal(body['grammar'], undefined);
      assert.equal(body['n_predict'], 1);
      assert.equal(body['repeat_penalty'], 1);
      assert.equal(body['n_probs'], s.server.model.vocabSize);
    }
    assert.equal(s.server.stats().fatalRequests, 0);
  });

  it('disambiguates a piece shared by two tokens with a logit-bias ban', async () => {
    // "b" is both a character piece and a byte token in the toy vocabulary, like in llama's.
    const truth = tokenByToken(s.server, 'The cat', 'b');
    const result = await s.backend.evaluate({ prompt: 'The cat', expected: 'b' });
    assert.deepEqual(
      result.tokens.map((t) => t.id),
      truth.ids,
    );
    assert.ok(Math.abs(result.logProbability - truth.logprobs.reduce((a, b) => a + b, 0)) < 1e-9);
    const bans = s.server.requests.filter((r) =>
      JSON.stringify((r.body as Record<string, unknown> | undefined)?.['logit_bias'] ?? null).includes(
        'false',
      ),
    );
    assert.ok(bans.length >= 1, 'a second request banned the target');
  });

  it('refuses a token-id grammar and wrong types before they reach the server', async () => {
    await assert.rejects(
      s.backend.complete({ prompt: 'Hi', maxTokens: 2, params: { grammar: 'root ::= <[5]>' } }),
      UnsupportedError,
    );
    await assert.rejects(
      s.backend.complete({ prompt: 'Hi', maxTokens: 2, params: { n_predict: 'five' } }),
      BadRequestError,
    );
    await s.backend.complete({ prompt: 'Hi', maxTokens: 2, params: { n_predict: -1 } });
    assert.equal((s.server.requests.at(-1)?.body as Record<string, unknown>)['n_predict'], 2);
    assert.equal(s.server.stats().fatalRequests, 0);
  });

  it('streams without counting the repeated probabilities of the final chunk', async () => {
    const deltas = await collect(
      s.backend.stream({ prompt: 'The cat', maxTokens: 4, temperature: 0, logProbs: 2 }),
    );
    assert.equal(deltas.flatMap((d) => d.tokens).length, 4);
    assert.equal(deltas.at(-1)?.finishReason, 'length');
    const whole = await s.backend.complete({ prompt: 'The cat', maxTokens: 4, temperature: 0, logProbs: 2 });
    assert.equal(deltas.map((d) => d.text).join(''), whole.completions[0]?.text);
  });

  it('evaluateBatch scores each prompt in turn', async () => {
    const many = await s.backend.evaluateBatch(['The cat sat on the', 'A dog on the'], ' mat');
    const single = await s.backend.evaluate({ prompt: 'A dog on the', expected: ' mat' });
    assert.equal(many[1]?.logProbability, single.logProbability);
  });

  it('maps text/plain errors', async () => {
    const withKey = await setup({ legacy: true, apiKey: 'k' });
    await assert.rejects(withKey.backend.complete({ prompt: 'Hi', maxTokens: 2 }), AuthenticationError);
    await withKey.backend.close();
    await withKey.server.close();
  });
});
