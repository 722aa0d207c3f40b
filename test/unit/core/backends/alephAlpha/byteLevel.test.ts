import * as assert from 'node:assert/strict';
import { decodeByteLevel } from '../../../../../src/core/backends/alephAlpha/byteLevel';

describe('Aleph Alpha byte-level token symbols', () => {
  it('decodes Ġ to a space and keeps plain symbols', () => {
    assert.deepEqual(decodeByteLevel(['ĠHello', 'Ċ', 'abc']), [' Hello', '\n', 'abc']);
  });

  it('gives a character split over tokens to the token that completes it', () => {
    // "🍕" is F0 9F 8D 95: byte-level symbols "ðŁį" and "ķ".
    assert.deepEqual(decodeByteLevel(['ðŁį', 'ķ', 'Ġå¯¿']), ['', '🍕', ' 寿']);
  });

  it('keeps symbols that are not byte-level as they are', () => {
    assert.deepEqual(decodeByteLevel(['▁Hello']), ['▁Hello']);
  });
});
