import * as assert from 'node:assert/strict';
import type { CompletionDelta } from '../../../../src/core/backend';
import { OpenAiBackend } from '../../../../src/core/backends/openai';
import { canStreamWith, MAX_KEPT_CHOICES } from '../../../../src/core/completionChoices';
import { CompletionChoices } from '../../../../src/features/completion/choices';
import { generate, tokenizeText } from '../../../fixtures/openai/model';
import { MODEL_ID, startOpenAiServer, type OpenAiTestServer } from '../../../fixtures/openai/server';

describe('completion choices (n > 1)', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer({ echo: 'ignore' });
  });
  after(() => server.close());

  it('keeps two interleaved streams apart: each completion gets only its own deltas', async () => {
    const backend = new OpenAiBackend({ url: `${server.url}/v1`, model: MODEL_ID });
    const deltas: CompletionDelta[] = [];
    try {
      for await (const delta of backend.stream({
        prompt: 'The cat',
        maxTokens: 5,
        logProbs: 2,
        params: { n: 2 },
      }))
        deltas.push(delta);
    } finally {
      await backend.close();
    }
    const order = deltas.filter((delta) => delta.text !== '').map((delta) => delta.index);
    assert.deepEqual(order.slice(0, 4), [0, 1, 0, 1], 'the test server interleaves the two choices');
    const choices = new CompletionChoices();
    for (const delta of deltas) choices.add(delta);
    const expected = [0, 1].map((rank) => generate(tokenizeText('The cat'), 5, [], rank).tokens.join(''));
    assert.notEqual(expected[0], expected[1]);
    assert.deepEqual(
      choices.withText().map((choice) => [choice.index, choice.placer.completionText, choice.finishReason]),
      [
        [0, expected[0], 'length'],
        [1, expected[1], 'length'],
      ],
    );
    assert.equal(choices.first.placer.tokens.length, 5, 'completion 0 keeps its own five tokens only');
    assert.equal(choices.length, (expected[0] ?? '').length + (expected[1] ?? '').length);
  });

  it('lists every completion by index, an empty one too, so the numbers match the reply', () => {
    const choices = new CompletionChoices();
    choices.add({ index: 2, text: 'two', tokens: [], finishReason: 'length' });
    choices.add({ index: 1, text: '', tokens: [], finishReason: 'stop' });
    choices.add({ index: 0, text: 'zero', tokens: [] });
    assert.deepEqual(
      choices.all().map((choice) => [choice.index, choice.placer.completionText, choice.finishReason]),
      [
        [0, 'zero', undefined],
        [1, '', 'stop'],
        [2, 'two', 'length'],
      ],
    );
    assert.deepEqual(
      choices.withText().map((choice) => choice.index),
      [0, 2],
    );
  });

  it(`keeps at most ${MAX_KEPT_CHOICES} completions; a hostile index cannot grow it`, () => {
    const choices = new CompletionChoices();
    for (let index = 0; index < 100; index++) choices.add({ index: index * 1000, text: 'x', tokens: [] });
    choices.add({ index: 4294967294, text: 'y', tokens: [] });
    assert.equal(choices.withText().length, MAX_KEPT_CHOICES);
    assert.equal(choices.choiceIfKnown(4294967294), undefined);
  });

  it('streams unless best_of asks for candidates ranked after generation', () => {
    assert.equal(canStreamWith(undefined), true);
    assert.equal(canStreamWith({ n: 3 }), true);
    assert.equal(canStreamWith({ best_of: 1 }), true);
    assert.equal(canStreamWith({ best_of: 3, n: 2 }), false);
  });
});
