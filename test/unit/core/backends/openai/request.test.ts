import * as assert from 'node:assert/strict';
import { completionBody } from '../../../../../src/core/backends/openai/request';

describe('OpenAI-compatible request body', () => {
  it('lets front matter params override the typed fields, but never whether the reply streams', () => {
    const streamed = completionBody(
      { prompt: 'x', maxTokens: 4, params: { stream: false, n: 2, max_tokens: 9 } },
      'm',
      true,
    );
    assert.equal(streamed.stream, true);
    assert.equal(streamed.n, 2);
    assert.equal(streamed.max_tokens, 9);
    const whole = completionBody({ prompt: 'x', maxTokens: 4, params: { stream: true } }, 'm', false);
    assert.equal('stream' in whole, false, 'a one-shot request is read as one JSON reply');
  });
});
