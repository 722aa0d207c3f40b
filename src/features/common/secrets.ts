import * as vscode from 'vscode';
import { originOf, type Profile } from '../../core/profile';
import type { Ctx } from '../../ctx';

// A token is stored with the origin it was entered for and used only for that origin, so a profile
// whose URL later changes (or a workspace that redirects it) never receives it.
const keyOf = (profile: Profile): string => `promptLens.apiKey/${profile.name}`;

interface StoredToken {
  origin: string;
  token: string;
}

export async function readToken(ctx: Ctx, profile: Profile): Promise<string | undefined> {
  const raw = await ctx.secrets.get(keyOf(profile));
  if (!raw) return undefined;
  try {
    const stored = JSON.parse(raw) as Partial<StoredToken>;
    if (typeof stored.token !== 'string' || typeof stored.origin !== 'string') return undefined;
    if (stored.origin !== originOf(profile.url)) {
      ctx.log.warn(
        `the API key of "${profile.name}" was set for another server; it is not sent to ${originOf(profile.url)}`,
      );
      return undefined;
    }
    return stored.token;
  } catch {
    return undefined;
  }
}

export async function storeToken(ctx: Ctx, profile: Profile, token: string): Promise<void> {
  const stored: StoredToken = { origin: originOf(profile.url), token };
  await ctx.secrets.store(keyOf(profile), JSON.stringify(stored));
}

export async function deleteToken(ctx: Ctx, profile: Profile): Promise<void> {
  await ctx.secrets.delete(keyOf(profile));
}

export function onDidChangeTokens(ctx: Ctx, listener: () => void): vscode.Disposable {
  return ctx.secrets.onDidChange((event) => {
    if (event.key.startsWith('promptLens.apiKey/')) listener();
  });
}
