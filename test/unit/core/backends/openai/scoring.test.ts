import * as assert from 'node:assert/strict';
import { scoreFromEcho } from '../../../../../src/core/backends/openai/scoring';
import { UnsupportedError } from '../../../../../src/core/errors';

describe('scoreFromEcho', () => {
  // Shaped like vLLM's reply to echo + logprobs 1 + max_tokens 1, with a BOS token that has no text.
  const reply = {
    choices: [
      {
        text: 'Hello world!!',
        logprobs: {
          tokens: ['', 'Hello', ' wor', 'ld', '!', '!'],
          token_logprobs: [null, -1, -2, -0.5, -0.25, -3],
          top_logprobs: [null, { Hello: -1 }, { ' world': -0.1 }, { ld: -0.5 }, { '!': -0.25 }, { '!': -3 }],
          text_offset: [0, 0, 5, 9, 11, 12],
        },
        finish_reason: 'length',
      },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 1 },
  };

  it('sums the log-probabilities of the tokens of the expected text, not of the generated one', () => {
    const result = scoreFromEcho(reply, 'Hello world!', ' world!');
    assert.deepEqual(
      result.tokens.map((token) => token.text),
      [' wor', 'ld', '!'],
    );
    assert.equal(result.logProbability, -2.75);
    assert.equal(result.correctGreedy, false);
    assert.equal(result.characterCount, 7);
  });

  it('counts a token straddling the prompt/expected boundary with the expected part', () => {
    const result = scoreFromEcho(reply, 'Hello world!', 'ld!');
    assert.deepEqual(
      result.tokens.map((token) => token.text),
      ['ld', '!'],
    );
    const straddling = scoreFromEcho(reply, 'Hello world!', 'd!');
    assert.deepEqual(
      straddling.tokens.map((token) => token.text),
      ['ld', '!'],
    );
  });

  it('refuses a reply whose text does not start with the prompt (echo ignored)', () => {
    const ignored = { ...reply, choices: [{ ...reply.choices[0]!, text: '!' }] };
    assert.throws(() => scoreFromEcho(ignored, 'Hello world!', '!'), UnsupportedError);
  });
});
