import * as assert from 'node:assert/strict';
import type { CompletionDelta } from '../../../../../src/core/backend';
import { serverTokenize } from '../../../../fixtures/alephAlpha';
import { collect, PNG_BASE64, startHarness, TOKEN, type Harness } from './harness';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

describe('AlephAlphaBackend: complete, stream, evaluate', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('completes greedily with log-probs, sending the spec field names', async () => {
    const result = await h.backend.complete({
      prompt: 'An apple a day',
      maxTokens: 6,
      temperature: 0,
      topK: 3,
      topP: 0.9,
      stop: ['zzz'],
      logProbs: 2,
    });
    const [completion] = result.completions;
    assert.ok(completion);
    assert.equal(completion.finishReason, 'length');
    assert.equal(completion.tokens.length, 6);
    assert.equal(completion.tokens.map((t) => t.text).join(''), completion.text);
    for (const token of completion.tokens) {
      assert.equal(token.top[0]?.text, token.text, 'greedy picks the most likely token');
      assert.equal(token.top[0]?.logprob, token.logprob);
      assert.ok(token.top.length >= 2 && token.top.length <= 3);
    }
    assert.deepEqual(result.usage, { promptTokens: 5, completionTokens: 6 });
    assert.equal(result.modelVersion, '2022-04');

    const [request] = h.server.requests;
    assert.equal(request?.path, '/complete');
    assert.deepEqual(request?.body, {
      model: 'luminous-base',
      prompt: [{ type: 'text', data: 'An apple a day' }],
      maximum_tokens: 6,
      temperature: 0,
      top_k: 3,
      top_p: 0.9,
      stop_sequences: ['zzz'],
      log_probs: 2,
      tokens: true,
    });
    assert.equal(request?.headers['content-type'], 'application/json');
  });

  it('passes native params through, overriding the mapped fields', async () => {
    const result = await h.backend.complete({
      prompt: 'Hello',
      maxTokens: 9,
      params: { maximum_tokens: 2, n: 2, temperature: 0.7, raw_completion: true },
    });
    assert.equal(result.completions.length, 2);
    const body = h.server.requests[0]?.body as Record<string, unknown>;
    assert.equal(body['maximum_tokens'], 2);
    assert.equal(body['n'], 2);
    assert.equal(body['temperature'], 0.7);
    assert.equal(body['raw_completion'], true);
  });

  it('echo through params gives the prompt tokens, the first without a log-prob', async () => {
    const result = await h.backend.complete({
      prompt: 'Hello world',
      maxTokens: 0,
      params: { echo: true, log_probs: 0, tokens: true },
    });
    const tokens = result.completions[0]?.tokens ?? [];
    assert.deepEqual(
      tokens.map((t) => t.text),
      ['Hello', ' world'],
    );
    assert.equal(tokens[0]?.logprob, null);
    assert.equal(typeof tokens[1]?.logprob, 'number');
  });

  it('maps stop sequences to finish reason "stop"', async () => {
    const first = await h.backend.complete({ prompt: 'An apple a day', maxTokens: 4 });
    const text = first.completions[0]?.text ?? '';
    const stop = text.slice(text.indexOf(' ', 1));
    const stopped = await h.backend.complete({ prompt: 'An apple a day', maxTokens: 4, stop: [stop] });
    assert.equal(stopped.completions[0]?.finishReason, 'stop');
    assert.equal(stopped.completions[0]?.text, text.slice(0, text.indexOf(stop)));
  });

  it('evaluate agrees with complete: the log-probability is the sum of the completion token log-probs', async () => {
    const prompt = 'I like 🍕 and 寿司.';
    const completed = await h.backend.complete({ prompt, maxTokens: 5, logProbs: 0 });
    const completion = completed.completions[0];
    assert.ok(completion);
    const evaluated = await h.backend.evaluate({ prompt, expected: completion.text });
    const sum = completion.tokens.reduce((s, t) => s + (t.logprob ?? 0), 0);
    close(evaluated.logProbability, sum);
    assert.equal(evaluated.tokenCount, 5);
    assert.equal(evaluated.characterCount, [...completion.text].length);
    assert.deepEqual(
      evaluated.tokens.map((t) => t.text),
      completion.tokens.map((t) => t.text),
    );
    evaluated.tokens.forEach((t, i) => close(t.logprob, completion.tokens[i]?.logprob ?? NaN));
    close(evaluated.perplexityPerToken, Math.exp(-sum / 5));
    close(evaluated.perplexityPerCharacter, Math.exp(-sum / [...completion.text].length));
    assert.equal(evaluated.correctGreedy, true);
    assert.deepEqual(Object.keys(evaluated.extra ?? {}).sort(), [
      'log_perplexity',
      'log_perplexity_per_character',
      'log_perplexity_per_token',
    ]);
    assert.equal(evaluated.usage?.promptTokens, serverTokenize(prompt).length);

    const evaluateRequest = h.server.requests.find((r) => r.endpoint === 'evaluate');
    assert.deepEqual(evaluateRequest?.body, {
      model: 'luminous-base',
      prompt: [{ type: 'text', data: prompt }],
      completion_expected: completion.text,
    });
  });

  it('evaluate says correctGreedy false for a text greedy decoding would not produce', async () => {
    const evaluated = await h.backend.evaluate({
      prompt: 'An apple a day',
      expected: ' keeps the doctor away',
    });
    assert.equal(evaluated.correctGreedy, false);
    assert.equal(evaluated.tokenCount, 4);
    assert.ok(evaluated.logProbability < 0);
  });

  it('evaluate falls back to one scored piece when the per-token call fails', async () => {
    h.server.setFaults({ endpoint: 'complete', statuses: [{ status: 400 }] });
    const evaluated = await h.backend.evaluate({ prompt: 'Hello', expected: ' world' });
    assert.deepEqual(evaluated.tokens, [{ text: ' world', logprob: evaluated.logProbability }]);
  });

  it('streams the same text as complete, the last delta carrying finish reason and usage', async () => {
    const completed = await h.backend.complete({ prompt: 'The cat', maxTokens: 5, logProbs: 1 });
    const deltas: CompletionDelta[] = await collect(
      h.backend.stream({ prompt: 'The cat', maxTokens: 5, logProbs: 1 }),
    );
    assert.equal(deltas.map((d) => d.text).join(''), completed.completions[0]?.text);
    assert.deepEqual(
      deltas.flatMap((d) => d.tokens),
      completed.completions[0]?.tokens,
    );
    const last = deltas[deltas.length - 1];
    assert.equal(last?.finishReason, 'length');
    assert.deepEqual(last?.usage, { promptTokens: 2, completionTokens: 5 });
    assert.equal((h.server.requests[1]?.body as Record<string, unknown>)['stream'], true);
    assert.equal((h.server.requests[0]?.body as Record<string, unknown>)['stream'], undefined);
  });

  it('accepts a stream that ends with [DONE]', async () => {
    const done = await startHarness({}, { doneMarker: true });
    try {
      const deltas = await collect(done.backend.stream({ prompt: 'Hello', maxTokens: 3 }));
      assert.equal(deltas[deltas.length - 1]?.finishReason, 'length');
    } finally {
      await done.close();
    }
  });

  it('sends prompt items with controls in the wire format, text offsets in code points', async () => {
    const text = '🍕 pizza 寿司 cheese';
    // UTF-16: "🍕" is 2 units, so " pizza" starts at 2; on the wire (code points) at 1.
    await h.backend.complete({
      prompt: [
        {
          type: 'text',
          text,
          controls: [
            { start: 2, length: 6, factor: 0.5 },
            { start: 9, length: 2, factor: 2, tokenOverlap: 'complete' },
          ],
        },
        {
          type: 'image',
          data: PNG_BASE64,
          x: 1,
          y: 2,
          size: 3,
          controls: [{ rect: { left: 0.5, top: 0, width: 0.25, height: 1 }, factor: 0 }],
        },
        { type: 'token_ids', ids: [49222, 2998], controls: [{ index: 1, factor: 0.25 }] },
      ],
      maxTokens: 1,
    });
    const body = h.server.requests[0]?.body as Record<string, unknown>;
    assert.deepEqual(body['prompt'], [
      {
        type: 'text',
        data: text,
        controls: [
          { start: 1, length: 6, factor: 0.5 },
          { start: 8, length: 2, factor: 2, token_overlap: 'complete' },
        ],
      },
      {
        type: 'image',
        data: PNG_BASE64,
        x: 1,
        y: 2,
        size: 3,
        controls: [{ rect: { left: 0.5, top: 0, width: 0.25, height: 1 }, factor: 0 }],
      },
      { type: 'token_ids', data: [49222, 2998], controls: [{ index: 1, factor: 0.25 }] },
    ]);
  });

  it('counts 144 tokens per image', async () => {
    const result = await h.backend.complete({
      prompt: [
        { type: 'image', data: PNG_BASE64 },
        { type: 'text', text: 'The' },
      ],
      maxTokens: 1,
    });
    assert.equal(result.usage?.promptTokens, 145);
  });

  it('rejects a partial image crop before sending', async () => {
    await assert.rejects(
      h.backend.complete({ prompt: [{ type: 'image', data: PNG_BASE64, x: 1 }], maxTokens: 1 }),
      { kind: 'bad-request' },
    );
    assert.equal(h.server.requests.length, 0);
  });

  it('attention controls change what the model predicts', async () => {
    const plain = await h.backend.evaluate({ prompt: 'The cat sat on the mat', expected: ' and' });
    const suppressed = await h.backend.evaluate({
      prompt: [
        { type: 'text', text: 'The cat sat on the mat', controls: [{ start: 4, length: 3, factor: 0.1 }] },
      ],
      expected: ' and',
    });
    assert.notEqual(plain.logProbability, suppressed.logProbability);
  });

  it('never sends the token outside the Authorization header', async () => {
    const withHeader = h.backendWith({ headers: { Authorization: 'Bearer leaked', 'X-Test': 'yes' } });
    await withHeader.complete({ prompt: 'Hello', maxTokens: 1 });
    await withHeader.tokenize({ text: 'Hello' });
    for (const request of h.server.requests) {
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(request.headers['x-test'], 'yes');
      assert.ok(!request.rawBody.includes(TOKEN));
      assert.ok(!JSON.stringify(request.query).includes(TOKEN));
      for (const [name, value] of Object.entries(request.headers))
        if (name !== 'authorization') assert.ok(!String(value).includes(TOKEN), name);
    }
  });
});
