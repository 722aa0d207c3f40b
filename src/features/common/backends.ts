import * as vscode from 'vscode';
import type { Backend, BackendOptions, Capabilities } from '../../core/backend';
import { createBackend } from '../../core/backends/index';
import { CookieJar } from '../../core/http/cookieJar';
import { untilAborted } from '../../core/untilAborted';
import type { Profile } from '../../core/profile';
import { config } from '../../config';
import type { Ctx, ServiceKey } from '../../ctx';
import { readProfiles, resolveProfile } from './profiles';
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
  /** One cookie jar per profile (by its whole definition: a changed profile starts empty). */
  private readonly cookieJars = new Map<string, CookieJar>();
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

  /**
   * What the profile's server can do, asked once and shared. `signal` stops this caller's wait (its
   * Cancel), not the probe other callers may be waiting on; the probe itself is bounded by the
   * connect timeout.
   */
  capabilities(profile: Profile, backend: Backend, signal?: AbortSignal): Promise<Capabilities> {
    const key = JSON.stringify(profile);
    let capabilities = this.capabilityCache.get(key);
    if (!capabilities) {
      capabilities = backend.capabilities();
      this.capabilityCache.set(key, capabilities);
      capabilities.catch(() => this.capabilityCache.delete(key));
    }
    return untilAborted(capabilities, signal);
  }

  private async build(profile: Profile): Promise<Backend> {
    const token = await readToken(this.ctx, profile);
    const proxy = config.httpProxy();
    const options: BackendOptions = {
      url: profile.url,
      // Each backend reads its own settings of the profile (Aleph Alpha: nice, hosting).
      extras: { ...profile },
      cookies: this.cookieJar(profile),
      timeouts: {
        connectMs: config.connectTimeoutMs(),
        firstByteMs: config.connectTimeoutMs(),
        headersMs: config.timeoutMs(),
        bodyMs: config.timeoutMs(),
        attemptMs: config.deadlineMs(),
      },
      network: {
        noProxy: config.httpNoProxy(),
        proxyLoopback: config.proxyLoopback(),
        proxyOff: config.httpProxyOff(),
        proxyStrictSSL: config.httpProxyStrictSSL(),
        limits: config.replyLimits(),
      },
      ...(token !== undefined && { token }),
      ...(profile.model !== undefined && { model: profile.model }),
      ...(proxy !== undefined && { proxy }),
    };
    this.ctx.log.info(
      `connecting to profile "${profile.name}" (${profile.kind}) at ${profile.url}${token ? ' with an API key' : ''}`,
    );
    return createBackend(profile.kind, options);
  }

  /** Forgets every profile's cookies (`promptLens.clearCookies`). Returns how many were dropped. */
  clearCookies(): number {
    let dropped = 0;
    for (const jar of this.cookieJars.values()) {
      dropped += jar.size;
      jar.clear();
    }
    return dropped;
  }

  private cookieJar(profile: Profile): CookieJar {
    const key = JSON.stringify(profile);
    let jar = this.cookieJars.get(key);
    if (!jar) {
      jar = new CookieJar();
      this.cookieJars.set(key, jar);
    }
    return jar;
  }

  reset(): void {
    const old = [...this.cache.values()];
    this.cache.clear();
    // A changed (or removed) profile loses its cookies: a jar is kept only for a definition still configured.
    const current = new Set(readProfiles(this.ctx).map((profile) => JSON.stringify(profile)));
    for (const key of [...this.cookieJars.keys()]) if (!current.has(key)) this.cookieJars.delete(key);
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
