import * as assert from 'node:assert/strict';
import {
  applyTextChanges,
  changesReachSpans,
  createSpanSet,
  spanAt,
  type SpanSet,
  type TextChange,
} from '../../../../src/core/explain/spanTracking';

/** Applies edits to a string the way the editor does (each relative to the text after the previous one). */
function edit(text: string, changes: readonly (TextChange & { text: string })[]): string {
  let out = text;
  for (const c of changes) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.removed);
  return out;
}

function texts(set: SpanSet, text: string): string[] {
  return set.starts.map((start, i) => text.slice(start, set.ends[i]));
}

describe('span tracking', () => {
  const text = 'The otter holds hands while it sleeps.';
  const words = [...text.matchAll(/\S+/g)].map((m, group) => ({
    start: m.index,
    end: m.index + m[0].length,
    group,
  }));

  function change(offset: number, removed: number, inserted: string) {
    return { offset, removed, inserted: inserted.length, text: inserted };
  }

  it('shifts spans after an insertion so they still cover the same text', () => {
    const changes = [change(0, 0, 'Look: ')];
    const { spans, droppedGroups } = applyTextChanges(createSpanSet(words), changes);
    assert.deepEqual(texts(spans, edit(text, changes)), text.split(' '));
    assert.deepEqual(droppedGroups, []);
  });

  it('drops a span whose text is edited and keeps the others on their text', () => {
    const at = text.indexOf('hands') + 2;
    const changes = [change(at, 1, 'N')];
    const { spans, droppedGroups } = applyTextChanges(createSpanSet(words), changes);
    assert.deepEqual(texts(spans, edit(text, changes)), ['The', 'otter', 'holds', 'while', 'it', 'sleeps.']);
    assert.deepEqual(droppedGroups, [3]);
  });

  it('pushes a span when text is inserted at its start and leaves it when inserted at its end', () => {
    const otter = text.indexOf('otter');
    const atStart = [change(otter, 0, 'sea ')];
    assert.equal(
      texts(applyTextChanges(createSpanSet(words), atStart).spans, edit(text, atStart))[1],
      'otter',
    );
    const atEnd = [change(otter + 5, 0, 's')];
    const result = applyTextChanges(createSpanSet(words), atEnd);
    assert.equal(texts(result.spans, edit(text, atEnd))[1], 'otter');
    assert.deepEqual(result.droppedGroups, []);
  });

  it('drops a span an insertion lands inside', () => {
    const changes = [change(text.indexOf('otter') + 2, 0, 'x')];
    assert.deepEqual(applyTextChanges(createSpanSet(words), changes).droppedGroups, [1]);
  });

  it('drops every span of a group when one of its spans is edited', () => {
    const grouped = [
      { start: 0, end: 3, group: 0 },
      { start: 4, end: 9, group: 1 },
      { start: 10, end: 15, group: 0 },
    ];
    const { spans, droppedGroups } = applyTextChanges(createSpanSet(grouped), [
      { offset: 1, removed: 1, inserted: 1 },
    ]);
    assert.deepEqual(droppedGroups, [0]);
    assert.deepEqual([spans.starts, spans.ends, spans.groups], [[4], [9], [1]]);
  });

  it('applies several changes of one event in order, like a multi-cursor edit (last position first)', () => {
    const changes = [
      change(text.indexOf('sleeps'), 0, '*'),
      change(text.indexOf('hands'), 0, '*'),
      change(0, 0, '*'),
    ];
    const after = edit(text, changes);
    assert.equal(after, '*The otter holds *hands while it *sleeps.');
    const { spans } = applyTextChanges(createSpanSet(words), changes);
    assert.deepEqual(texts(spans, after), text.split(' '));
  });

  it('keeps random edits from leaving any span on other text (property check)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      let current = text;
      let set = createSpanSet(words);
      const expected = new Map(words.map((w) => [w.group, text.slice(w.start, w.end)]));
      for (let k = 0; k < 5; k++) {
        const offset = random(current.length + 1);
        const removed = random(Math.min(4, current.length - offset) + 1);
        const inserted = ['', 'a', ' ', 'zz '][random(4)] as string;
        const changes = [change(offset, removed, inserted)];
        current = edit(current, changes);
        set = applyTextChanges(set, changes).spans;
      }
      set.starts.forEach((start, i) =>
        assert.equal(current.slice(start, set.ends[i]), expected.get(set.groups[i] as number)),
      );
    }
  });

  it('follows overlapping spans too (every span is checked)', () => {
    const set = createSpanSet([
      { start: 0, end: 10, group: 0 },
      { start: 2, end: 4, group: 1 },
      { start: 12, end: 14, group: 2 },
    ]);
    assert.equal(set.overlapping, true);
    const { spans, droppedGroups } = applyTextChanges(set, [{ offset: 6, removed: 1, inserted: 0 }]);
    assert.deepEqual(droppedGroups, [0]);
    assert.deepEqual(
      [spans.starts, spans.ends],
      [
        [2, 11],
        [4, 13],
      ],
    );
  });

  it('finds the span at an offset', () => {
    const set = createSpanSet(words);
    assert.equal(spanAt(set, 0), 0);
    assert.equal(spanAt(set, 3), -1);
    assert.equal(spanAt(set, text.indexOf('hands') + 4), 3);
    assert.equal(spanAt(set, text.length), -1);
  });

  it('drops only the touched span among 5,000 and shifts the ones after it', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ start: i * 10, end: i * 10 + 6, group: i }));
    const { spans } = applyTextChanges(createSpanSet(many), [{ offset: 25_003, removed: 2, inserted: 0 }]);
    assert.equal(spans.starts.length, 4999);
    assert.equal(spans.starts[0], 0);
    assert.equal(spans.starts[2500], 25_008);
  });
});

describe('changesReachSpans: when an explanation goes stale', () => {
  const set = createSpanSet([
    { start: 5, end: 9, group: 0 },
    { start: 10, end: 20, group: 1 },
  ]);
  it('is stale after an edit before or inside the scored text', () => {
    assert.equal(changesReachSpans(set, [{ offset: 0, removed: 0, inserted: 3 }]), true);
    assert.equal(changesReachSpans(set, [{ offset: 19, removed: 1, inserted: 0 }]), true);
  });
  it('stays current when text is only added after the last span', () => {
    assert.equal(changesReachSpans(set, [{ offset: 20, removed: 0, inserted: 12 }]), false);
    assert.equal(changesReachSpans(set, []), false);
  });
});
