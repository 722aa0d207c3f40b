import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset, MAX_DATASET_BYTES } from '../../../../src/core/promptTests/datasets';
import type { DatasetEntry } from '../../../../src/core/promptTests/types';

describe('prompt tests: datasets', () => {
  let dir: string;
  let prompt: string;
  const entry = (file: string): DatasetEntry => ({
    file,
    base: { vars: { tone: 'formal', country: 'X' }, expect: [{ kind: 'notContains', value: 'London' }] },
    position: { line: 3, column: 4 },
  });
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'promptlens-datasets-'));
    await fs.mkdir(path.join(dir, 'prompts', 'data'), { recursive: true });
    prompt = path.join(dir, 'prompts', 'capitals.prompt');
    await fs.writeFile(prompt, '---\n---\n');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads JSONL, one case per line, merged with the entry (row vars win, expect lists add up)', async () => {
    await fs.writeFile(
      path.join(dir, 'prompts', 'data', 'cases.jsonl'),
      '{"name":"de","vars":{"country":"Germany"},"expect":[{"contains":"Berlin"}]}\n\n{"vars":{"country":"Spain"},"expected":" Madrid"}\n',
    );
    const cases = await loadDataset(prompt, entry('data/cases.jsonl'));
    assert.deepEqual(
      cases.map((c) => [c.id, c.name, c.vars, c.expect, c.location.position.line]),
      [
        [
          'data/cases.jsonl#de',
          'de',
          { tone: 'formal', country: 'Germany' },
          [
            { kind: 'notContains', value: 'London' },
            { kind: 'contains', value: 'Berlin' },
          ],
          0,
        ],
        [
          'data/cases.jsonl#3',
          'data/cases.jsonl #3',
          { tone: 'formal', country: 'Spain' },
          [
            { kind: 'notContains', value: 'London' },
            { kind: 'greedy', of: ' Madrid' },
          ],
          2,
        ],
      ],
    );
  });

  it("reads CSV with a header row: name, expected and target are the case's, other columns variables", async () => {
    await fs.writeFile(
      path.join(dir, 'prompts', 'cases.csv'),
      'name,country,expected\r\nfr,"France, the ""hexagon""", Paris\r\nit,Italy," Rome"\r\n',
    );
    const cases = await loadDataset(prompt, entry('cases.csv'));
    assert.deepEqual(
      cases.map((c) => [c.name, c.vars['country'], c.expect[1]]),
      [
        ['fr', 'France, the "hexagon"', { kind: 'greedy', of: ' Paris' }],
        ['it', 'Italy', { kind: 'greedy', of: ' Rome' }],
      ],
    );
  });

  it("refuses paths outside the prompt file's folder tree, absolute paths and other extensions", async () => {
    await fs.writeFile(path.join(dir, 'outside.jsonl'), '{"vars":{}}\n');
    await assert.rejects(loadDataset(prompt, entry('../outside.jsonl')), /outside the prompt file's folder/);
    await assert.rejects(
      loadDataset(prompt, entry(path.join(dir, 'outside.jsonl'))),
      /relative to the prompt file/,
    );
    await assert.rejects(loadDataset(prompt, entry('cases.txt')), /\.jsonl or \.csv/);
    await assert.rejects(loadDataset(prompt, entry('missing.jsonl')), /does not exist/);
  });

  it('allows a workspace root given as a root, and refuses a symbolic link that leads out', async () => {
    const cases = await loadDataset(prompt, entry('../outside.jsonl'), { roots: [dir] });
    assert.equal(cases.length, 1);
    const secret = await fs.mkdtemp(path.join(os.tmpdir(), 'promptlens-secret-'));
    try {
      await fs.writeFile(path.join(secret, 'leak.jsonl'), '{"vars":{}}\n');
      await fs.symlink(path.join(secret, 'leak.jsonl'), path.join(dir, 'prompts', 'link.jsonl'));
      await assert.rejects(loadDataset(prompt, entry('link.jsonl'), { roots: [dir] }), /outside/);
    } finally {
      await fs.rm(secret, { recursive: true, force: true });
    }
  });

  it('refuses a file over the size cap, and says where a bad line is', async () => {
    await fs.writeFile(path.join(dir, 'prompts', 'big.jsonl'), Buffer.alloc(MAX_DATASET_BYTES + 1, 0x20));
    await assert.rejects(loadDataset(prompt, entry('big.jsonl')), /at most \d+ are read/);
    await fs.writeFile(path.join(dir, 'prompts', 'bad.jsonl'), '{"vars":{}}\n{oops\n');
    await assert.rejects(loadDataset(prompt, entry('bad.jsonl')), /bad\.jsonl:2: not JSON/);
    await fs.writeFile(path.join(dir, 'prompts', 'ragged.csv'), 'name,country\na\n');
    await assert.rejects(
      loadDataset(prompt, entry('ragged.csv')),
      /ragged\.csv:2: 1 fields, the header has 2/,
    );
  });
});
