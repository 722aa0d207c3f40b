import * as assert from 'node:assert/strict';
import type { ExplainResult, TextSpanScore } from '../../../../src/core/backend';
import { LlamaCppBackend } from '../../../../src/core/backends/llamaCpp';
import { explain, planExplanation } from '../../../../src/core/explain/index';
import { explainByOcclusion } from '../../../../src/core/explain/occlusion';
import { segment } from '../../../../src/core/segment';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../../fixtures/llamaCpp';
import { assertClose, bruteForcePerToken, bruteForceScores, deleteSpan, modelScore } from './bruteForce';

function textScores(result: ExplainResult, explanation = 0, item = 0): TextSpanScore[] {
  const found = result.explanations[explanation]?.items[item];
  assert.ok(found && found.type === 'text', 'a text item');
  return found.scores;
}

type Span = { start: number; length: number };

/** Each target token's scores equal the brute-force computation for that token. */
function assertPerTokenBruteForce(
  result: ExplainResult,
  server: LlamaCppServerHandle,
  prompt: string,
  target: string,
  spans: readonly Span[],
): void {
  bruteForcePerToken(server.model, prompt, target, spans).forEach((expected, k) =>
    assertClose(
      textScores(result, k).map((s) => s.score),
      expected,
    ),
  );
}

/** Each span's per-token scores add up to its score for the whole target. */
function assertPerTokenAddsUp(
  result: ExplainResult,
  server: LlamaCppServerHandle,
  prompt: string,
  target: string,
  spans: readonly Span[],
): void {
  bruteForceScores(server.model, prompt, target, spans).forEach((score, i) => {
    const sum = result.explanations.reduce((acc, _, k) => acc + (textScores(result, k)[i]?.score ?? 0), 0);
    assert.ok(Math.abs(sum - score) < 1e-6, `${sum} vs ${score}`);
  });
}

describe('explain by occlusion (llama.cpp test server)', function () {
  this.timeout(30_000);
  let server: LlamaCppServerHandle;
  let backend: LlamaCppBackend;
  beforeEach(async () => {
    server = await startLlamaCppServer();
    backend = new LlamaCppBackend({ url: server.url });
    // The once-per-server scoring probe, done first so the counts below are the explanation's.
    await backend.scoringMethods();
    server.resetStats();
    server.clearSlots();
  });
  afterEach(async () => {
    await backend.close();
    await server.close();
  });

  it('equals the brute-force computation: delete each word, score, subtract', async () => {
    const prompt = 'The cat sat on the mat. The dog ran to the cat';
    const target = ' and the dog sat';
    const result = await explain(backend, { prompt, target, granularity: { type: 'word' } });
    const spans = segment(prompt, { type: 'word' });
    const scores = textScores(result);
    assert.deepEqual(
      scores.map((s) => prompt.slice(s.start, s.start + s.length)),
      spans.map((s) => s.text),
    );
    assertClose(
      scores.map((s) => s.score),
      bruteForceScores(server.model, prompt, target, spans),
    );
    assert.equal(result.explanations.length, 1);
    assert.equal(result.explanations[0]?.target, target);
    assert.ok(
      scores.some((s) => s.score !== 0),
      'deleting words changes the target probability',
    );
  });

  it('says its cost before running (n + 1 calls) and reports it after', async () => {
    const prompt = 'The cat sat on the mat. The dog ran.';
    const request = { prompt, target: ' The cat', granularity: { type: 'word' as const } };
    const plan = await planExplanation(backend, request);
    assert.equal(plan.method, 'occlusion');
    assert.equal(plan.segments, 9);
    assert.equal(plan.calls, 10);
    server.resetStats();
    const result = await explain(backend, request);
    assert.equal(result.cost?.calls, 10);
    assert.equal(result.cost?.promptTokensProcessed, server.stats().promptTokensProcessed);
    assert.equal(server.stats().completionRequests, 10);
  });

  it('picks about 30 segments by default (auto granularity), as Aleph Alpha does', async () => {
    const sentences = Array.from({ length: 8 }, (_, i) => `The cat number ${i} sat on the mat.`);
    const prompt = sentences.join(' ');
    const plan = await planExplanation(backend, { prompt, target: ' The dog' });
    // 8 sentences, 56 words, more tokens: word (56) is not closest to 30; sentence (8) is not either.
    const words = segment(prompt, { type: 'word' }).length;
    const counts = { word: words, sentence: 8, paragraph: 1 };
    const best = Object.entries(counts).sort((a, b) => Math.abs(a[1] - 30) - Math.abs(b[1] - 30))[0];
    assert.equal(plan.granularity?.type, best?.[0]);
    assert.equal(plan.segments, best?.[1]);
  });

  it('gives one explanation per target token, from the same calls, equal to brute force', async () => {
    const prompt = 'The cat sat on the mat. The dog ran to the';
    const target = ' cat and the dog';
    server.resetStats();
    const result = await explain(backend, {
      prompt,
      target,
      granularity: { type: 'word' },
      targetGranularity: 'token',
    });
    const spans = segment(prompt, { type: 'word' });
    assert.equal(server.stats().completionRequests, spans.length + 1, 'no extra calls for per-token targets');
    assert.deepEqual(
      result.explanations.map((e) => e.target),
      [' cat', ' and', ' the', ' dog'],
    );
    assertPerTokenBruteForce(result, server, prompt, target, spans);
    assertPerTokenAddsUp(result, server, prompt, target, spans);
  });

  it('aligns per-token scores when deleting a segment changes how the target is tokenized', async () => {
    // " apple" + "s" is one token (" apples"); without "apple" the target starts with " s".
    // Without "like", the prompt's tail is unchanged. Without "I", nothing merges differently.
    const prompt = 'I like the red apple';
    const target = 's and the cat';
    const spans = segment(prompt, { type: 'word' });
    const full = modelScore(server.model, prompt, target);
    const without = modelScore(server.model, deleteSpan(prompt, 15, 5), target);
    assert.notDeepEqual(full.targetIds, without.targetIds, 'the fixture changes the target tokenization');
    const result = await explain(backend, {
      prompt,
      target,
      granularity: { type: 'word' },
      targetGranularity: 'token',
    });
    assert.equal(result.explanations.length, full.targetIds.length);
    assert.equal(result.explanations[0]?.target, 's', "the merged first token's part of the target");
    assertPerTokenBruteForce(result, server, prompt, target, spans);
    assertPerTokenAddsUp(result, server, prompt, target, spans);
  });

  it('aligns per-token scores when the deletion splits the target into more tokens, byte tokens included', async () => {
    // " a" + "pples" is one token (" apples"); without "a" the target becomes " p" "p" "le" "s".
    const cases = [
      { prompt: 'I like a', target: 'pples and the cat', deleted: { start: 7, length: 1 } },
      // "é" is two byte tokens (U+FFFD pieces); " ca" + "f" becomes " a" + "f" without "c".
      { prompt: 'I want a c', target: 'afé now', deleted: { start: 9, length: 1 } },
    ];
    for (const { prompt, target, deleted } of cases) {
      const full = modelScore(server.model, prompt, target);
      const ablated = modelScore(server.model, deleteSpan(prompt, deleted.start, deleted.length), target);
      assert.notDeepEqual(ablated.targetIds, full.targetIds, 'the fixture changes the target tokenization');
      const spans = segment(prompt, { type: 'word' });
      const result = await explain(backend, {
        prompt,
        target,
        granularity: { type: 'word' },
        targetGranularity: 'token',
      });
      assert.equal(result.explanations.length, full.targetIds.length);
      assertPerTokenBruteForce(result, server, prompt, target, spans);
    }
  });

  it('deletes only the segment next to whitespace: delimiters, newlines and spaces stay', async () => {
    const prompt = 'Question:  what is\n\nthe capital of France ?\n Answer:';
    const target = ' Paris';
    server.requests.length = 0;
    const result = await explain(backend, {
      prompt,
      target,
      granularity: { type: 'word' },
      targetGranularity: 'complete',
    });
    const spans = segment(prompt, { type: 'word' });
    const scores = textScores(result);
    for (const s of scores) assert.doesNotMatch(prompt.slice(s.start, s.start + s.length), /\s/);
    assertClose(
      scores.map((s) => s.score),
      bruteForceScores(server.model, prompt, target, spans),
    );
    // The prompts the server scored are exactly the prompt with one span's characters deleted.
    const sent = server.requests
      .filter((r) => r.path === '/completion')
      .map((r) => JSON.stringify((r.body as { prompt: unknown }).prompt));
    const expectedPrompts = [prompt, ...spans.map((s) => deleteSpan(prompt, s.start, s.length))].map((p) =>
      JSON.stringify(modelScore(server.model, p, target).promptIds),
    );
    assert.deepEqual([...sent].sort(), [...expectedPrompts].sort());
  });

  it('keeps UTF-16 offsets right around emoji', async () => {
    const prompt = 'I 🦙 like 🍎 apples 👍🏽 a lot';
    const target = ' and the cat';
    const result = await explain(backend, { prompt, target, granularity: { type: 'word' } });
    const scores = textScores(result);
    assert.deepEqual(
      scores.map((s) => prompt.slice(s.start, s.start + s.length)),
      ['I', '🦙', 'like', '🍎', 'apples', '👍🏽', 'a', 'lot'],
    );
    assertClose(
      scores.map((s) => s.score),
      bruteForceScores(server.model, prompt, target, scores),
    );
  });

  it('occludes custom-delimited parts and leaves the delimiter unscored', async () => {
    const prompt = 'I like apples###I like the sky###The cat is';
    const target = ' red';
    const result = await explain(backend, {
      prompt,
      target,
      granularity: { type: 'custom', delimiter: '###' },
    });
    const scores = textScores(result);
    assert.deepEqual(
      scores.map((s) => prompt.slice(s.start, s.start + s.length)),
      ['I like apples', 'I like the sky', 'The cat is'],
    );
    assertClose(
      scores.map((s) => s.score),
      bruteForceScores(server.model, prompt, target, scores),
    );
  });

  it('occludes only text items of a multimodal prompt and keeps the others', async () => {
    const prompt = [
      { type: 'text' as const, text: 'The cat sat' },
      { type: 'text' as const, text: ' on the mat' },
    ];
    const target = ' and the dog';
    const result = await explain(backend, { prompt, target, granularity: { type: 'word' } });
    const items = result.explanations[0]?.items ?? [];
    assert.deepEqual(
      items.map((i) => i.type),
      ['text', 'text', 'target'],
    );
    const joined = 'The cat sat on the mat';
    const first = textScores(result, 0, 0);
    const second = textScores(result, 0, 1);
    assert.deepEqual(
      second.map((s) => ' on the mat'.slice(s.start, s.start + s.length)),
      ['on', 'the', 'mat'],
    );
    const global = [...first, ...second.map((s) => ({ ...s, start: s.start + 11 }))];
    assertClose(
      [...first, ...second].map((s) => s.score),
      bruteForceScores(server.model, joined, target, global),
    );
  });

  it('applies postprocessing and normalize to the occlusion scores', async () => {
    const prompt = 'The cat sat on the mat. The dog ran to the cat';
    const target = ' and the dog sat';
    const spans = segment(prompt, { type: 'word' });
    const raw = bruteForceScores(server.model, prompt, target, spans);
    const squared = await explainByOcclusion(backend, {
      prompt,
      target,
      granularity: { type: 'word' },
      postprocessing: 'square',
      normalize: true,
    });
    const transformed = raw.map((s) => s * s);
    const min = Math.min(...transformed);
    const max = Math.max(...transformed);
    assertClose(
      textScores(squared).map((s) => s.score),
      transformed.map((s) => (s - min) / (max - min)),
    );
  });

  it('reports progress once per scoring call', async () => {
    const prompt = 'The cat sat on the mat';
    const seen: [number, number][] = [];
    await explain(backend, {
      prompt,
      target: ' and',
      granularity: { type: 'word' },
      onProgress: (done, total) => seen.push([done, total]),
    });
    assert.deepEqual(
      seen,
      Array.from({ length: 8 }, (_, i) => [i, 7]),
    );
  });
});
