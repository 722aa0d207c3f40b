import * as assert from 'node:assert/strict';
import { DEMO_PROFILE_NAME, SIMULATED_NOTE } from '../../../../src/core/profile';
import { tokenHoverMarkdown } from '../../../../src/core/completion/tokenMarkdown';

describe('generated-token hover: where the token came from', () => {
  const token = { text: ' Paris', logprob: Math.log(0.5), top: [] };

  it('labels tokens of the npm start demo as coming from a simulated model', () => {
    const text = tokenHoverMarkdown(token, DEMO_PROFILE_NAME);
    assert.ok(text.includes(SIMULATED_NOTE), text);
    assert.match(SIMULATED_NOTE, /not a real language model/);
  });

  it('names the profile of any other token, and nothing when it is unknown', () => {
    assert.match(tokenHoverMarkdown(token, 'llama.cpp (local)'), /From profile \*llama\.cpp \(local\)\*/);
    assert.doesNotMatch(tokenHoverMarkdown(token), /From profile|Simulated/);
  });
});
