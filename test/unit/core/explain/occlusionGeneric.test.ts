import * as assert from 'node:assert/strict';
import type {
  Backend,
  Capabilities,
  EvaluateRequest,
  EvaluateResult,
  Prompt,
  PromptItem,
} from '../../../../src/core/backend';
import { promptText } from '../../../../src/core/backend';
import { UnsupportedError } from '../../../../src/core/errors';
import { explain, planExplanation } from '../../../../src/core/explain/index';

const CAPABILITIES: Capabilities = {
  stream: false,
  score: true,
  explainNatively: false,
  infill: false,
  images: true,
  embed: false,
  tokenize: false,
  logProbs: true,
  notes: [],
};

/** A backend without slots or tokenizer whose score is a known function of the prompt's text. */
function stubBackend(score: (text: string) => number, capabilities = CAPABILITIES) {
  const seen: Prompt[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const backend: Backend = {
    kind: 'openai',
    capabilities: async () => capabilities,
    complete: () => Promise.reject(new Error('not used')),
    stream: () => {
      throw new Error('not used');
    },
    evaluate: async (request: EvaluateRequest): Promise<EvaluateResult> => {
      seen.push(request.prompt);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      const logProbability = score(promptText(request.prompt));
      return {
        logProbability,
        tokenCount: 1,
        characterCount: request.expected.length,
        tokens: [{ text: request.expected, logprob: logProbability }],
        perplexityPerToken: 1,
        perplexityPerCharacter: 1,
        usage: { promptTokens: promptText(request.prompt).length },
      };
    },
    tokenize: () => Promise.reject(new UnsupportedError('no tokenizer')),
    detokenize: () => Promise.reject(new UnsupportedError('no tokenizer')),
    models: async () => [],
    close: async () => undefined,
  };
  return { backend, seen, maxInFlight: () => maxInFlight };
}

describe('explain by occlusion on a backend without slots or tokenizer', () => {
  const image: PromptItem = { type: 'image', data: 'AAAA' };
  const prompt: PromptItem[] = [
    { type: 'text', text: 'The red cat' },
    image,
    { type: 'text', text: ' sat here' },
  ];
  // log P falls by 1 per missing "cat" character and by 0.5 per missing "red" one.
  const score = (text: string) => (text.includes('cat') ? 0 : -3) + (text.includes('red') ? 0 : -1.5);

  it('occludes only the text items, keeps the image in every scored prompt, scores it nothing', async () => {
    const { backend, seen } = stubBackend(score);
    const result = await explain(backend, { prompt, target: ' x', granularity: { type: 'word' } });
    assert.equal(seen.length, 6);
    for (const scored of seen) {
      assert.ok(Array.isArray(scored));
      assert.deepEqual(scored[1], image);
      assert.equal(scored.length, 3);
    }
    const items = result.explanations[0]?.items ?? [];
    assert.deepEqual(
      items.map((i) => i.type),
      ['text', 'image', 'text', 'target'],
    );
    assert.deepEqual(items[1], { type: 'image', scores: [] });
    const first = items[0];
    const second = items[2];
    assert.ok(first?.type === 'text' && second?.type === 'text');
    assert.deepEqual(
      first.scores.map((s) => [s.start, s.length, s.score]),
      [
        [0, 3, 0],
        [4, 3, 1.5],
        [8, 3, 3],
      ],
    );
    assert.deepEqual(
      second.scores.map((s) => [s.start, s.length, s.score]),
      [
        [1, 3, 0],
        [5, 4, 0],
      ],
    );
    // Without slots: two calls at a time; the cost counts prompt tokens as the backend reports them.
    assert.equal(result.cost?.calls, 6);
  });

  it('runs at most two calls at a time and falls back to words without a tokenizer (auto)', async () => {
    const stub = stubBackend(score);
    const plan = await planExplanation(stub.backend, { prompt, target: ' x' });
    assert.deepEqual(plan.granularity, { type: 'word' });
    assert.equal(plan.strategy, 'concurrent');
    await explain(stub.backend, { prompt, target: ' x' });
    assert.equal(stub.maxInFlight(), 2);
  });

  it('refuses clearly when the backend cannot score', async () => {
    const { backend } = stubBackend(score, { ...CAPABILITIES, score: false });
    await assert.rejects(planExplanation(backend, { prompt, target: ' x' }), UnsupportedError);
    await assert.rejects(explain(backend, { prompt, target: ' x' }), /cannot score a target/);
  });
});
