import * as assert from 'node:assert/strict';
import {
  autoGranularity,
  segment,
  segmentByDelimiter,
  segmentByTokens,
  segmentParagraphs,
  segmentSentences,
  segmentWords,
  type TextSpan,
} from '../../../src/core/segment';

const texts = (spans: TextSpan[]): string[] => spans.map((s) => s.text);
const ranges = (spans: TextSpan[]): [number, number][] => spans.map((s) => [s.start, s.length]);

/** Every span's text is the slice of the input its offsets name. */
function assertConsistent(text: string, spans: TextSpan[]): void {
  for (const s of spans) assert.equal(text.slice(s.start, s.start + s.length), s.text);
}

describe('segment', () => {
  describe('custom delimiter', () => {
    it("matches Aleph Alpha's example: the delimiter gets no span", () => {
      const text = "I am a programmer###I am French###I don't like pizza###My favourite food is";
      const spans = segmentByDelimiter(text, '###');
      assert.deepEqual(ranges(spans), [
        [0, 17],
        [20, 11],
        [34, 18],
        [55, 20],
      ]);
      assertConsistent(text, spans);
    });

    it('leaves out leading whitespace and empty parts', () => {
      const text = 'a ||  b|| ||c ';
      assert.deepEqual(ranges(segmentByDelimiter(text, '||')), [
        [0, 1],
        [6, 1],
        [12, 1],
      ]);
    });

    it('keeps the text whole for an empty delimiter or one that never occurs', () => {
      assert.deepEqual(texts(segmentByDelimiter(' abc ', '')), ['abc']);
      assert.deepEqual(texts(segmentByDelimiter('abc', '#')), ['abc']);
    });
  });

  describe('words', () => {
    it('splits on whitespace, punctuation staying with its word', () => {
      const text = '  Hello, world!\tHow are\nyou? ';
      const spans = segmentWords(text);
      assert.deepEqual(texts(spans), ['Hello,', 'world!', 'How', 'are', 'you?']);
      assert.equal(spans[0]?.start, 2);
      assertConsistent(text, spans);
    });

    it('keeps emoji (surrogate pairs, ZWJ sequences, flags) whole, with UTF-16 offsets', () => {
      const text = 'I 😀 love 👩‍💻 code 🇩🇪!';
      const spans = segmentWords(text);
      assert.deepEqual(texts(spans), ['I', '😀', 'love', '👩‍💻', 'code', '🇩🇪!']);
      assert.deepEqual(spans[2]?.start, 5);
      assertConsistent(text, spans);
    });

    it('splits Chinese and Japanese without spaces into words, punctuation joining the word before', () => {
      const text = '我喜欢吃苹果。今天天气很好';
      const spans = segmentWords(text);
      assert.ok(spans.length > 2, `got ${texts(spans).join('|')}`);
      assert.equal(texts(spans).join(''), text);
      assert.ok(spans.every((s) => s.text !== '。'));
      assertConsistent(text, spans);
      const mixed = 'Model: 東京は日本の首都です。 Yes';
      const mixedSpans = segmentWords(mixed);
      assert.equal(mixedSpans[0]?.text, 'Model:');
      assert.equal(mixedSpans[mixedSpans.length - 1]?.text, 'Yes');
      assertConsistent(mixed, mixedSpans);
    });

    it('gives no spans for empty or blank text', () => {
      assert.deepEqual(segmentWords(''), []);
      assert.deepEqual(segmentWords(' \n\t '), []);
    });
  });

  describe('sentences', () => {
    it('splits after . ! ? leaving out the whitespace between', () => {
      const text = 'I am a programmer. I am French. Do you like pizza? Yes!';
      const spans = segmentSentences(text);
      assert.deepEqual(texts(spans), ['I am a programmer.', 'I am French.', 'Do you like pizza?', 'Yes!']);
      // As Aleph Alpha observed: the segment after "French." starts after the space.
      assert.equal(spans[2]?.start, text.indexOf('Do'));
      assertConsistent(text, spans);
    });

    it('ends a sentence at a line break', () => {
      assert.deepEqual(texts(segmentSentences('Review: great\nSentiment: positive\n\nNext')), [
        'Review: great',
        'Sentiment: positive',
        'Next',
      ]);
    });

    it('splits Chinese and Japanese sentences at 。！？', () => {
      const text = '今天天气很好。我们去公园吧！你来吗？';
      assert.deepEqual(texts(segmentSentences(text)), ['今天天气很好。', '我们去公园吧！', '你来吗？']);
    });

    it('keeps emoji inside sentences', () => {
      const text = 'Great 🎉. Thanks 🙏!';
      const spans = segmentSentences(text);
      assert.deepEqual(texts(spans), ['Great 🎉.', 'Thanks 🙏!']);
      assertConsistent(text, spans);
    });
  });

  describe('paragraphs', () => {
    it('splits at blank lines (also with spaces or CRLF), trimming each', () => {
      const text = '\n First para\nstill first.\n\nSecond.\r\n  \r\nThird\n\n\n';
      const spans = segmentParagraphs(text);
      assert.deepEqual(texts(spans), ['First para\nstill first.', 'Second.', 'Third']);
      assertConsistent(text, spans);
    });
  });

  describe('tokens', () => {
    it('locates tokens that tile the text', () => {
      const text = 'An apple a day';
      const spans = segmentByTokens(text, [
        { text: 'An' },
        { text: ' apple' },
        { text: ' a' },
        { text: ' day' },
      ]);
      assert.deepEqual(ranges(spans), [
        [0, 2],
        [2, 6],
        [8, 2],
        [10, 4],
      ]);
    });

    it('understands SentencePiece and byte-level BPE markers and a leading prefix space', () => {
      const text = 'Hello world\nbye';
      assert.deepEqual(
        texts(
          segmentByTokens(text, [
            { text: '▁Hello' },
            { text: '▁world' },
            { text: '<0x0A>' },
            { text: 'bye' },
          ]),
        ),
        ['Hello', ' world', '\n', 'bye'],
      );
      assert.deepEqual(
        texts(segmentByTokens(text, [{ text: 'Hello' }, { text: 'Ġworld' }, { text: 'Ċ' }, { text: 'bye' }])),
        ['Hello', ' world', '\n', 'bye'],
      );
    });

    it('gives unmatched pieces an empty span, the last one before a gap taking the gap (emoji bytes)', () => {
      const text = 'hi 😀 there';
      const spans = segmentByTokens(text, [
        { text: 'hi' },
        { text: ' ' },
        { text: '<0xF0>' },
        { text: '<0x9F>' },
        { text: '<0x98>' },
        { text: '<0x80>' },
        { text: ' there' },
      ]);
      assert.equal(spans.length, 7);
      assert.deepEqual(texts(spans), ['hi', ' ', '', '', '', '😀', ' there']);
      assertConsistent(text, spans);
    });

    it('survives special tokens and pieces that are not in the text', () => {
      const text = 'abc';
      const spans = segmentByTokens(text, [
        { text: '<s>' },
        { text: 'a' },
        { text: 'zzz' },
        { text: '' },
        { text: 'c' },
        { text: '</s>' },
      ]);
      assert.equal(spans.length, 6);
      assert.deepEqual(texts(spans), ['', 'a', 'b', '', 'c', '']);
      assertConsistent(text, spans);
    });

    it('handles CJK tokens', () => {
      const text = '你好世界';
      assert.deepEqual(ranges(segmentByTokens(text, [{ text: '你好' }, { text: '世界' }])), [
        [0, 2],
        [2, 2],
      ]);
    });
  });

  describe('autoGranularity', () => {
    const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

    it('picks words for a ~30-word sentence', () => {
      assert.deepEqual(autoGranularity(words(31) + '.'), { type: 'word' });
    });

    it('picks sentences when there are about 30 of them and many more words', () => {
      const text = Array.from({ length: 30 }, () => 'This sentence has five words.').join(' ');
      assert.deepEqual(autoGranularity(text), { type: 'sentence' });
    });

    it('picks paragraphs when they come closest', () => {
      const text = Array.from({ length: 28 }, () =>
        Array.from({ length: 5 }, () => 'One two three four five six.').join(' '),
      ).join('\n\n');
      assert.deepEqual(autoGranularity(text), { type: 'paragraph' });
    });

    it('considers tokens only with a token count, preferring the finer granularity on a tie', () => {
      assert.deepEqual(autoGranularity('a b c', 29), { type: 'token' });
      assert.deepEqual(autoGranularity(words(30), 30), { type: 'token' });
      assert.deepEqual(autoGranularity(words(30), 200), { type: 'word' });
    });
  });

  describe('segment()', () => {
    it('dispatches on the granularity, resolving auto', () => {
      assert.deepEqual(texts(segment('a b. c', { type: 'word' })), ['a', 'b.', 'c']);
      assert.deepEqual(texts(segment('A b. C d', { type: 'sentence' })), ['A b.', 'C d']);
      assert.deepEqual(texts(segment('a\n\nb', { type: 'paragraph' })), ['a', 'b']);
      assert.deepEqual(texts(segment('a#b', { type: 'custom', delimiter: '#' })), ['a', 'b']);
      assert.deepEqual(texts(segment('ab', { type: 'token' }, [{ text: 'a' }, { text: 'b' }])), ['a', 'b']);
      assert.deepEqual(texts(segment('a b', { type: 'token' })), ['a', 'b']);
      assert.deepEqual(texts(segment('x y', { type: 'auto' })), ['x', 'y']);
    });
  });
});
