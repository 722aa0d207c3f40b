// The template the render benchmarks use: a realistic prompt (front matter, few-shot loop, ranges,
// filters) repeated to a given number of characters.
export function benchTemplate(size) {
  const head = [
    '---',
    'model: luminous-base',
    'params: { maximum_tokens: 64, temperature: 0 }',
    'vars:',
    '  task: Classify the sentiment of each review.',
    '  examples:',
    ...Array.from(
      { length: 8 },
      (_, i) =>
        `    - { text: "Review number ${i} says the product is ${i % 2 ? 'great' : 'awful'} 😀", label: ${i % 2 ? 'positive' : 'negative'} }`,
    ),
    '  review: The battery died after two days.',
    '---',
    '',
  ].join('\n');
  const block = (i) =>
    `{% promptrange part${i % 10} %}Section ${i}: {{ task | upcase }}\n` +
    `{% for example in examples %}Review: {{ example.text }}\nSentiment: {{ example.label }}\n{% endfor %}` +
    `{% if review %}Now: {{ review | truncate: 40 }}{% endif %} plain text that the model reads as it is, 東京.\n{% endpromptrange %}\n`;
  const blocks = [];
  let length = head.length;
  for (let i = 0; length < size; i++) {
    const b = block(i);
    blocks.push(b);
    length += b.length;
  }
  return head + blocks.join('');
}
