// A deterministic prompt of `sentences` sentences of about `wordsPerSentence` words each, from words
// the llama.cpp test model knows (mostly one token each): the occlusion tests' and benchmark's input.
const WORDS = [
  'the',
  'cat',
  'sat',
  'on',
  'mat',
  'dog',
  'ran',
  'and',
  'is',
  'was',
  'of',
  'to',
  'in',
  'it',
  'red',
  'blue',
  'green',
  'apple',
  'banana',
  'fruit',
  'color',
  'sky',
  'grass',
  'likes',
  'time',
  'world',
  'question',
  'answer',
  'capital',
  'Paris',
  'France',
  'hello',
];

export function longPrompt(sentences = 30, wordsPerSentence = 18, seed = 7): string {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const words = Array.from(
      { length: wordsPerSentence },
      () => WORDS[(next() >>> 16) % WORDS.length] ?? 'the',
    );
    const sentence = words.join(' ');
    out.push(sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.');
  }
  return out.join(' ');
}
