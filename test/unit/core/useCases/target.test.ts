// Expected and Target per file: what a form shows, what an input box starts with.
import * as assert from 'node:assert/strict';
import { formTarget, PerDocumentMemory, targetPrefill } from '../../../../src/core/useCases/target';

describe('targets per file', () => {
  it('shows the text typed for the file, else the file’s own, and says which', () => {
    assert.deepEqual(formTarget('explain', undefined, { target: ' Paris' }), {
      text: ' Paris',
      origin: 'file',
    });
    assert.deepEqual(formTarget('explain', undefined, { expected: ' Rome' }), {
      text: ' Rome',
      origin: 'file',
    });
    assert.deepEqual(formTarget('evaluate', undefined, { target: ' Paris' }), { text: '', origin: 'none' });
    assert.deepEqual(formTarget('evaluate', ' Berlin', { expected: ' Rome' }), {
      text: ' Berlin',
      origin: 'edited',
    });
  });

  it('pre-fills an input box from the document, else from what was used for that same document', () => {
    const memory = new PerDocumentMemory();
    memory.set('file:///a.prompt', ' from a');
    assert.equal(targetPrefill('explain', undefined, memory.get('file:///b.txt')), '');
    assert.equal(targetPrefill('explain', undefined, memory.get('file:///a.prompt')), ' from a');
    assert.equal(targetPrefill('explain', { target: ' own' }, memory.get('file:///a.prompt')), ' own');
  });

  it('forgets the least recently used documents past its limit', () => {
    const memory = new PerDocumentMemory(2);
    memory.set('a', '1');
    memory.set('b', '2');
    memory.set('a', '3');
    memory.set('c', '4');
    assert.equal(memory.get('b'), undefined);
    assert.equal(memory.get('a'), '3');
    assert.equal(memory.get('c'), '4');
  });
});
