import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The layers are enforced by the build: these probes break a boundary and must be refused.
const root = path.resolve(__dirname, '..', '..', '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

interface LintApi {
  lintText(code: string, options: { filePath: string }): Promise<{ messages: { ruleId: string | null }[] }[]>;
}

/** The rules ESLint breaks in `code` as if it were the file `file` of the project (one ESLint for all probes). */
let eslint: LintApi | undefined;
async function lint(file: string, code: string): Promise<string[]> {
  // Loaded from the project at run time, not bundled into the test.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ESLint } = require(path.join(root, 'node_modules', 'eslint')) as {
    ESLint: new (options: { cwd: string }) => LintApi;
  };
  eslint ??= new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse error');
}

describe('layer boundaries', function () {
  this.timeout(180_000);

  it('the webview project refuses a file importing node:fs and vscode (type-check)', () => {
    const run = spawnSync(
      bin('tsc'),
      ['-p', 'test/fixtures/boundaries/tsconfig.webviewProbe.json', '--noEmit'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    const output = run.stdout + run.stderr;
    assert.notEqual(run.status, 0, 'type-check fails');
    assert.match(output, /webviewImportsNode\.ts.*Cannot find module 'node:fs'/);
    assert.match(
      output,
      /webviewImportsNode\.ts\(4,\d+\).*noVscodeApi\.d\.ts' is not a module/,
      'vscode resolves to nothing',
    );
  });

  it('lint refuses Node and vscode in the webview, upward imports in the core and the CLI, and feature internals', async () => {
    const refused: [string, string][] = [
      ['src/webview/probe.ts', "import * as fs from 'node:fs';\nexport const x = fs;\n"],
      ['src/webview/views/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"],
      ['src/webview/probe.ts', "import * as path from 'path';\nexport const x = path;\n"],
      ['src/core/explain/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"],
      ['src/core/explain/probe.ts', "import { x as y } from '../../features/index';\nexport const x = y;\n"],
      ['src/features/panel/probe.ts', "import { x as y } from '../explain/heatmap';\nexport const x = y;\n"],
      ['src/cli/commands/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"],
      ['src/cli/commands/probe.ts', "import { x as y } from '../../features/index';\nexport const x = y;\n"],
    ];
    for (const [file, code] of refused)
      assert.ok((await lint(file, code)).includes('no-restricted-imports'), `${file}: ${code}`);
  });

  it('lint lets a feature use another through its index, common/ and the core', async () => {
    const allowed: [string, string][] = [
      ['src/features/panel/probe.ts', "import { x as y } from '../explain/index';\nexport const x = y;\n"],
      ['src/features/panel/probe.ts', "import { x as y } from '../common/backends';\nexport const x = y;\n"],
      [
        'src/features/panel/probe.ts',
        "import { x as y } from '../../core/useCases/index';\nexport const x = y;\n",
      ],
      ['src/webview/views/probe.ts', "import { x as y } from '../../core/diff';\nexport const x = y;\n"],
    ];
    for (const [file, code] of allowed) assert.deepEqual(await lint(file, code), [], `${file}: ${code}`);
  });
});
