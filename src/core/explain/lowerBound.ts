// The fewest prompt tokens a server with a prefix cache must process to score a set of prompts,
// whatever the order and however many slots: every distinct prefix once (the size of the prompts'
// token trie). A prompt identical to one already scored still costs one token (a current llama.cpp
// server re-evaluates the last prompt token even on a full cache hit).
//
// For an occlusion run of n segments on a prompt of L tokens, with segment i starting at token sᵢ and
// spanning ℓᵢ tokens, that is about L + Σᵢ (L − sᵢ − ℓᵢ): the full prompt once, then each deletion's
// tail. Scoring the full prompt first and then the deletions from the last segment to the first on one
// slot reaches it exactly.
export function promptTokenLowerBound(sequences: readonly (readonly number[])[]): number {
  const root = new Map<number, TrieNode>();
  let nodes = 0;
  let duplicates = 0;
  for (const sequence of sequences) {
    let level = root;
    let created = false;
    let node: TrieNode | undefined;
    for (const id of sequence) {
      node = level.get(id);
      if (!node) {
        node = { children: new Map(), ends: 0 };
        level.set(id, node);
        nodes++;
        created = true;
      }
      level = node.children;
    }
    if (node) {
      if (!created && node.ends > 0) duplicates++;
      node.ends++;
    }
  }
  return nodes + duplicates;
}

interface TrieNode {
  children: Map<number, TrieNode>;
  ends: number;
}
