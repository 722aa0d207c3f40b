import * as vscode from 'vscode';
import type { Backend, BackendOptions, Capabilities } from '../../core/backend';
import { createBackend } from '../../core/backends/index';
import type { Profile } from '../../core/profile';
import { config } from '../../config';
import type { Ctx, ServiceKey } from '../../ctx';
import { resolveProfile } from './profiles';
import { onDidChangeTokens, readToken } from './secrets';

export interface Connection {
  profile: Profile;
  backend: Backend;
  /** The model to use: the prompt file's, else the profile's. */
  model?: string;
}

/** One backend per profile, rebuilt when settings or tokens change. */
export class BackendRegistry implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<Backend>>();
  private readonly capabilityCache = new Map<string, Promise<Capabilities>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      ctx.settings.onDidChange(() => this.reset()),
      onDidChangeTokens(ctx, () => this.reset()),
    ];
  }

  /** The backend for the profile a request should use (see `resolveProfile`). */
  async connect(requestedProfile?: string, requestedModel?: string): Promise<Connection> {
    const profile = resolveProfile(this.ctx, requestedProfile);
    const backend = await this.backendFor(profile);
    const model = requestedModel ?? profile.model;
    return { profile, backend, ...(model !== undefined && { model }) };
  }

  backendFor(profile: Profile): Promise<Backend> {
    const key = JSON.stringify(profile);
    let backend = this.cache.get(key);
    if (!backend) {
      backend = this.build(profile);
      this.cache.set(key, backend);
      backend.catch(() => this.cache.delete(key));
    }
    return backend;
  }

  capabilities(profile: Profile, backend: Backend): Promise<Capabilities> {
    const key = JSON.stringify(profile);
    let capabilities = this.capabilityCache.get(key);
    if (!capabilities) {
      capabilities = backend.capabilities();
      this.capabilityCache.set(key, capabilities);
      capabilities.catch(() => this.capabilityCache.delete(key));
    }
    return capabilities;
  }

  private async build(profile: Profile): Promise<Backend> {
    const token = await readToken(this.ctx, profile);
    const proxy = config.httpProxy();
    const options: BackendOptions & { nice?: boolean; hosting?: string } = {
      url: profile.url,
      timeouts: { headersMs: config.timeoutMs(), bodyMs: config.timeoutMs(), attemptMs: config.deadlineMs() },
      network: {
        noProxy: config.httpNoProxy(),
        proxyLoopback: config.proxyLoopback(),
        limits: config.replyLimits(),
      },
      ...(token !== undefined && { token }),
      ...(profile.model !== undefined && { model: profile.model }),
      ...(proxy !== undefined && { proxy }),
      ...(profile.nice !== undefined && { nice: profile.nice }),
      ...(profile.hosting !== undefined && { hosting: profile.hosting }),
    };
    this.ctx.log.info(
      `connecting to profile "${profile.name}" (${profile.kind}) at ${profile.url}${token ? ' with an API key' : ''}`,
    );
    return createBackend(profile.kind, options);
  }

  reset(): void {
    const old = [...this.cache.values()];
    this.cache.clear();
    this.capabilityCache.clear();
    for (const backend of old) backend.then((b) => b.close()).catch(() => undefined);
  }

  dispose(): void {
    this.reset();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export const backendRegistry: ServiceKey<BackendRegistry> = {
  name: 'backends',
  create: (ctx) => new BackendRegistry(ctx),
};
