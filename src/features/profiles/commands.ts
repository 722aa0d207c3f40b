import * as vscode from 'vscode';
import { originOf, type Profile } from '../../core/profile';
import { config } from '../../config';
import type { Ctx } from '../../ctx';
import { backendRegistry } from '../common/backends';
import { withCancellableProgress } from '../common/progress';
import { readProfiles, resolveProfile } from '../common/profiles';
import { deleteToken, readToken, storeToken } from '../common/secrets';

const KIND_LABEL: Record<Profile['kind'], string> = {
  'aleph-alpha': 'Aleph Alpha',
  'llama-cpp': 'llama.cpp server',
  openai: 'OpenAI-compatible',
};

async function pickProfile(ctx: Ctx, placeHolder: string): Promise<Profile | undefined> {
  const profiles = readProfiles(ctx);
  if (profiles.length === 0) {
    const choice = await vscode.window.showWarningMessage(
      'Prompt Lens: no profiles are configured.',
      'Open Settings',
    );
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'promptLens.profiles');
    return undefined;
  }
  const active = config.activeProfile();
  const picked = await vscode.window.showQuickPick(
    profiles.map((profile) => ({
      label: profile.name,
      description: `${KIND_LABEL[profile.kind]} · ${profile.url}${profile.model ? ` · ${profile.model}` : ''}`,
      ...(profile.name === active && { detail: 'Active' }),
      profile,
    })),
    { placeHolder, title: 'Prompt Lens' },
  );
  return picked?.profile;
}

/** "Prompt Lens: Select Profile". */
export async function selectProfile(ctx: Ctx): Promise<Profile | undefined> {
  const profile = await pickProfile(ctx, 'Profile to use');
  if (!profile) return undefined;
  await config.setActiveProfile(profile.name);
  ctx.statusBar.setModel(profile.model);
  return profile;
}

/** "Prompt Lens: Set API Key": stored in SecretStorage for one profile and bound to its server. */
export async function setApiKey(ctx: Ctx, profileName?: unknown): Promise<void> {
  let profile: Profile | undefined;
  if (typeof profileName === 'string') profile = readProfiles(ctx).find((p) => p.name === profileName);
  else {
    try {
      profile = resolveProfile(ctx);
    } catch {
      profile = undefined;
    }
    const profiles = readProfiles(ctx);
    if (profiles.length > 1 || !profile) profile = await pickProfile(ctx, 'Profile whose API key to set');
  }
  if (!profile) return;
  const existing = await readToken(ctx, profile);
  const token = await vscode.window.showInputBox({
    title: `API key for "${profile.name}"`,
    prompt: `Sent only to ${originOf(profile.url)}. Kept in VS Code's secret storage. Leave empty to remove it.`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: existing ? 'A key is set; enter a new one to replace it' : 'API key',
  });
  if (token === undefined) return;
  if (token.trim() === '') {
    await deleteToken(ctx, profile);
    void vscode.window.showInformationMessage(`Prompt Lens: removed the API key of "${profile.name}".`);
    return;
  }
  await storeToken(ctx, profile, token.trim());
  ctx.log.info(`API key set for profile "${profile.name}"`);
  void vscode.window.showInformationMessage(`Prompt Lens: API key saved for "${profile.name}".`);
}

/** "Prompt Lens: Clear Cookies": forgets the cookies (a hosted server's session) of every profile. */
export async function clearCookies(ctx: Ctx): Promise<void> {
  const dropped = ctx.service(backendRegistry).clearCookies();
  ctx.log.info(`cleared ${dropped} cookie(s)`);
  await vscode.window.showInformationMessage(`Prompt Lens: cleared ${dropped} cookie(s) of every profile.`);
}

/**
 * "Prompt Lens: Use llama.cpp Kind": the active profile, an OpenAI-compatible one pointed at a
 * llama.cpp server, becomes a llama.cpp profile (its URL without `/v1`), which can score.
 */
export async function useLlamaCppKind(ctx: Ctx): Promise<void> {
  const profile = resolveProfile(ctx);
  const raw = config.profiles();
  if (!Array.isArray(raw)) return;
  const url = profile.url.replace(/\/v1\/?$/, '');
  const next = raw.map((entry: unknown) =>
    entry && typeof entry === 'object' && (entry as { name?: unknown }).name === profile.name
      ? { ...entry, kind: 'llama-cpp', url }
      : entry,
  );
  await config.setProfiles(next);
  await vscode.window.showInformationMessage(
    `Prompt Lens: profile "${profile.name}" now uses the llama.cpp kind.`,
  );
}

/** "Prompt Lens: Select Model": a quick pick fed by the backend's model list. */
export async function selectModel(ctx: Ctx): Promise<string | undefined> {
  const { profile, backend } = await ctx.service(backendRegistry).connect();
  const models = await withCancellableProgress(
    `Prompt Lens: listing the models of ${profile.name}`,
    (signal) => backend.models({ signal }),
  );
  if (models.length === 0) {
    void vscode.window.showInformationMessage(`Prompt Lens: "${profile.name}" lists no models.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    models.map((model) => ({
      label: model.id,
      description: [model.description, model.maxContextSize ? `context ${model.maxContextSize}` : undefined]
        .filter(Boolean)
        .join(' · '),
      picked: model.id === profile.model,
    })),
    { title: `Models of "${profile.name}"`, placeHolder: 'Model to use' },
  );
  if (!picked) return undefined;
  // Profiles live in user settings; the model is saved into the active profile's entry.
  const raw = config.raw().get<unknown[]>('profiles', []);
  const updated = raw.map((entry) =>
    entry && typeof entry === 'object' && (entry as { name?: unknown }).name === profile.name
      ? { ...entry, model: picked.label }
      : entry,
  );
  await config.raw().update('profiles', updated, vscode.ConfigurationTarget.Global);
  ctx.statusBar.setModel(picked.label);
  return picked.label;
}
