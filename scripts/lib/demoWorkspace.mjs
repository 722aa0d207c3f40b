// The workspace `npm start` opens: a copy of examples/ in a temporary folder, so Complete and the
// editor's autosave never touch files under version control. Removed when the process exits.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * @param {string} examples the folder to copy
 * @returns {{ folder: string, remove(): void }}
 */
export function createDemoWorkspace(examples) {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-demo-'));
  const folder = path.join(parent, 'examples');
  fs.cpSync(examples, folder, { recursive: true });
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    fs.rmSync(parent, { recursive: true, force: true });
  };
  process.on('exit', remove);
  return { folder, remove };
}
