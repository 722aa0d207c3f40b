import * as assert from 'node:assert/strict';
import { renderPromptFile } from '../../../../src/core/promptFile/index';
import { promptBefore, renderedCut } from '../../../../src/core/useCases/index';

describe('use cases: the prompt before a cursor in a template', () => {
  const source = '---\nvars:\n  name: Ada\n---\nHello {{ name }}, how are you?';

  it('cuts the rendered text where the cursor falls in the source, variables filled in', async () => {
    const render = await renderPromptFile(source);
    const afterTag = source.indexOf(',');
    assert.equal(promptBefore(render, renderedCut(render, afterTag)), 'Hello Ada');
    assert.equal(promptBefore(render, renderedCut(render, source.length)), 'Hello Ada, how are you?');
  });

  it('inside a loop, cuts at the last rendering of the cursor’s text', async () => {
    const loop = '{% for i in (1..3) %}x{{ i }} {% endfor %}';
    const render = await renderPromptFile(loop);
    assert.equal(render.text, 'x1 x2 x3 ');
    const atX = loop.indexOf('x');
    assert.equal(promptBefore(render, renderedCut(render, atX)), 'x1 x2 ');
  });

  it('keeps an image before the cut and the text items cut to length', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const withImage = 'Look: {% image "a.png" %} What is it?';
    const render = await renderPromptFile(withImage, {
      path: '/w/x.prompt',
      files: { read: async () => png },
    });
    const cut = promptBefore(render, renderedCut(render, withImage.indexOf('is')));
    assert.ok(Array.isArray(cut), 'an image prompt stays a list of items');
    assert.deepEqual(
      cut.map((item) => item.type),
      ['text', 'image', 'text'],
    );
    const last = cut[2];
    assert.equal(last?.type === 'text' ? last.text : undefined, ' What ');
  });
});
