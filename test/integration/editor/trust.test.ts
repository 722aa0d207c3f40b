import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Profile } from '../../../src/core/profile';
import type { Ctx } from '../../../src/ctx';
import { chooseProfile, profileOf } from '../../../src/core/useCases/index';
import { resolveProfile } from '../../../src/features/common/profiles';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { closeAllEditors, extensionCtx, openFixture, useProfiles, waitFor } from './helpers';

const ACTIVE = 'trust test: active';
const SECOND = 'second server';

describe('editor: workspace trust', () => {
  let active: LlamaCppServerHandle;
  let second: LlamaCppServerHandle;
  let profiles: Profile[];
  let restore: () => Promise<void>;
  let ctx: Ctx;

  before(async () => {
    active = await startLlamaCppServer();
    second = await startLlamaCppServer();
    ctx = await extensionCtx();
    profiles = [
      { name: ACTIVE, kind: 'llama-cpp', url: active.url },
      { name: SECOND, kind: 'llama-cpp', url: second.url },
    ];
    restore = await useProfiles(profiles, ACTIVE);
  });
  after(async () => {
    await closeAllEditors();
    await restore();
    await active.close();
    await second.close();
  });

  const choose = (activeName: string, requested: string, trusted: boolean) =>
    chooseProfile({ profiles, activeName, requested, trusted });

  it('untrusted: a prompt file naming another profile gets the active one', () => {
    const choice = choose(ACTIVE, SECOND, false);
    assert.equal(profileOf(choice).name, ACTIVE);
    assert.equal(profileOf(choice).url, active.url);
    assert.equal(choice.ignored, 'untrusted');
  });

  it('trusted: the prompt file may pick a configured profile, never an unknown one', () => {
    assert.equal(profileOf(choose(ACTIVE, SECOND, true)).name, SECOND);
    // An unknown name is an error, not a silent fall back to another server than the file asked for.
    assert.throws(
      () => profileOf(choose(ACTIVE, 'http://attacker.example', true)),
      (error: Error & { kind?: string }) =>
        error.kind === 'configuration' &&
        /"http:\/\/attacker.example", which is not configured/.test(error.message),
    );
  });

  it("untrusted, without a usable active profile, the file's choice is not a fallback: nothing is sent", () => {
    assert.throws(
      () => profileOf(choose('missing', SECOND, false)),
      (error: Error & { kind?: string }) =>
        error.kind === 'configuration' && /no profile named "missing"/.test(error.message),
    );
  });

  it("resolveProfile applies the decision with this workspace's trust", () => {
    const expected = profileOf(choose(ACTIVE, SECOND, vscode.workspace.isTrusted));
    assert.deepEqual(resolveProfile(ctx, SECOND), expected);
    assert.equal(resolveProfile(ctx).name, ACTIVE);
  });

  it('the token counter sends a prompt file to the profile resolveProfile picks, and only there', async () => {
    const tokenizeCount = (server: LlamaCppServerHandle): number =>
      server.requests.filter((r) => r.path === '/tokenize').length;
    const before = { active: tokenizeCount(active), second: tokenizeCount(second) };
    const editor = await openFixture('names-backend.prompt');
    const chosen = profileOf(choose(ACTIVE, SECOND, vscode.workspace.isTrusted));
    const [expectedServer, otherServer] = chosen.name === SECOND ? [second, active] : [active, second];
    const tokens = expectedServer.model.tokenize('What is the capital of France?\n').length;
    await waitFor('the count', () => ctx.statusBar.state.tokens === tokens);
    assert.ok(tokenizeCount(expectedServer) > (expectedServer === active ? before.active : before.second));
    assert.equal(tokenizeCount(otherServer), otherServer === active ? before.active : before.second);
    assert.equal(editor.document.languageId, 'liquid-prompt');
  });

  it('declares the profile settings restricted, so an untrusted workspace cannot set them', () => {
    const manifest = vscode.extensions.getExtension('prompt-lens.prompt-lens')?.packageJSON as {
      capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } };
    };
    const restricted = manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
    for (const key of ['promptLens.profiles', 'promptLens.activeProfile', 'promptLens.inline.autoTrigger'])
      assert.ok(restricted.includes(key), key);
  });
});
