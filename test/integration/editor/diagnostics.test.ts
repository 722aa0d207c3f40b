import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  extensionCtx,
  fixtureUri,
  openFixture,
  revertAndClose,
  useProfiles,
  waitFor,
} from './helpers';

function promptLensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Prompt Lens');
}

function describeRange(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

describe('editor: diagnostics of .prompt files', () => {
  before(async () => {
    await extensionCtx();
  });
  afterEach(closeAllEditors);

  it('marks an undefined variable at its exact range, as an error with the core code', async () => {
    const uri = fixtureUri('broken.prompt');
    await openFixture('broken.prompt');
    const [diagnostic, ...rest] = await waitFor('a diagnostic on broken.prompt', () => {
      const found = promptLensDiagnostics(uri);
      return found.length > 0 && found;
    });
    assert.equal(rest.length, 0);
    assert.ok(diagnostic);
    // Line 6 of the file is "This is {{ nme }} unknown.": the range is the variable's name.
    assert.equal(describeRange(diagnostic.range), '5:11-5:14');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.code, 'undefined-variable');
    assert.match(diagnostic.message, /nme/);
  });

  it('updates after an edit: fixing the name clears it, a new mistake is marked where it is', async () => {
    const uri = fixtureUri('broken.prompt');
    const editor = await openFixture('broken.prompt');
    await waitFor('the initial diagnostic', () => promptLensDiagnostics(uri).length === 1);
    const line = editor.document.lineAt(5);
    const at = line.text.indexOf('nme');
    await editor.edit((edit) => edit.replace(new vscode.Range(5, at, 5, at + 3), 'name'));
    await waitFor('no diagnostics after the fix', () => promptLensDiagnostics(uri).length === 0);

    // Typing an unclosed output tag at the end of the last line.
    const last = editor.document.lineAt(5).text;
    await editor.edit((edit) => edit.insert(new vscode.Position(5, last.length), ' {{ oops'));
    const [diagnostic] = await waitFor('a diagnostic for the unclosed tag', () => {
      const found = promptLensDiagnostics(uri);
      return found.length > 0 && found;
    });
    assert.ok(diagnostic);
    assert.equal(diagnostic.range.start.line, 5);
    assert.equal(diagnostic.range.start.character, `${last} `.length);
    assert.equal(editor.document.getText(diagnostic.range).trim(), '{{ oops');
    assert.equal(diagnostic.code, 'liquid-syntax');
    await revertAndClose();
  });

  it('shows an unknown parameter as a warning on its key', async () => {
    const uri = fixtureUri('unknown-param.prompt');
    const editor = await openFixture('unknown-param.prompt');
    const [diagnostic] = await waitFor('a warning on unknown-param.prompt', () => {
      const found = promptLensDiagnostics(uri);
      return found.length > 0 && found;
    });
    assert.ok(diagnostic);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.code, 'unknown-param');
    assert.equal(editor.document.getText(diagnostic.range), 'bogus_param');
  });

  it('clears the problems of a document when it is closed (here: by leaving the .prompt language)', async () => {
    const uri = fixtureUri('broken.prompt');
    const editor = await openFixture('broken.prompt');
    await waitFor('the diagnostic', () => promptLensDiagnostics(uri).length === 1);
    // VS Code closes and reopens a document whose language changes; closing an editor disposes the
    // document only later, when VS Code decides to.
    await vscode.languages.setTextDocumentLanguage(editor.document, 'plaintext');
    await waitFor('the diagnostics to be cleared', () => promptLensDiagnostics(uri).length === 0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(promptLensDiagnostics(uri).length, 0, 'a plain-text document gets no template problems');
  });
});

describe('editor: typing Liquid delimiters in a .prompt file', () => {
  before(async () => {
    await extensionCtx();
  });
  afterEach(closeAllEditors);

  /** Types text the way the keyboard does: one `type` command per character, auto-closing included. */
  async function typeText(text: string): Promise<void> {
    for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
  }

  it('types over the auto-inserted `}}` and `%}` instead of leaving a stray closer', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'liquid-prompt', content: '' });
    await vscode.window.showTextDocument(document);
    await typeText('Hi {{ name }} and {% if x %}yes{% endif %}.');
    assert.equal(document.getText(), 'Hi {{ name }} and {% if x %}yes{% endif %}.');
  });

  it('auto-closes `{{` so the tag is whole even when the closer is not typed', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'liquid-prompt', content: '' });
    await vscode.window.showTextDocument(document);
    await typeText('{{ name ');
    assert.equal(document.getText(), '{{ name }}');
  });

  it('warns about a stray `}}` in the body where it is', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'liquid-prompt',
      content: '---\nvars:\n  name: Ada\n---\nHello {{ name }} }}\n',
    });
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitFor('the stray closer warning', () => {
      const found = promptLensDiagnostics(document.uri).filter((d) => d.code === 'stray-closer');
      return found.length > 0 && found;
    });
    assert.ok(diagnostic);
    assert.equal(describeRange(diagnostic.range), '4:17-4:19');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
  });
});

describe('editor: quick fix for a parameter of another backend', () => {
  let restore: () => Promise<void>;
  before(async () => {
    await extensionCtx();
    restore = await useProfiles(
      [{ name: 'aleph (quick fix)', kind: 'aleph-alpha', url: 'https://aleph.invalid' }],
      'aleph (quick fix)',
    );
  });
  after(async () => {
    await closeAllEditors();
    await restore();
  });

  it('renames n_predict to maximum_tokens and stop to stop_sequences on an Aleph Alpha profile', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'liquid-prompt',
      content: '---\nparams:\n  n_predict: 20\n  stop: ["\\n"]\n---\nThe capital of France is',
    });
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor('two unknown-parameter warnings', () => {
      const found = promptLensDiagnostics(document.uri).filter((d) => d.code === 'unknown-param');
      return found.length === 2 && found;
    });
    assert.match(diagnostics[0]?.message ?? '', /its equivalent there is `maximum_tokens`\.$/);
    assert.ok((diagnostics[0]?.message.length ?? 0) < 120, 'a short message, no list of 25 names');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostics[0]!.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Rename `n_predict` to `maximum_tokens`'), titles.join(' | '));
    const all = actions.find((a) => a.title === 'Rename every parameter to its equivalent on this backend');
    assert.ok(all?.edit, titles.join(' | '));
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    assert.equal(
      document.getText(),
      '---\nparams:\n  maximum_tokens: 20\n  stop_sequences: ["\\n"]\n---\nThe capital of France is',
    );
    await waitFor('no unknown parameters left', () => promptLensDiagnostics(document.uri).length === 0);
  });
});
