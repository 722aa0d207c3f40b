import * as tls from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { proxyFor, type ProxySettings } from './proxyRoute';
import { tunnelConnector } from './proxyTunnel';

export interface DispatcherSettings extends ProxySettings {
  /** Check certificates through a proxy (default true); direct connections are always checked. */
  proxyStrictSSL?: boolean;
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

/**
 * Keep-alive connection pools with the timeouts applied: one direct, and one per proxy in use. Each
 * request is routed by its own target (see proxyRoute.ts), so a loopback server and a remote one can
 * share a client. Proxies are reached through our own CONNECT tunnel (proxyTunnel.ts).
 */
export class DispatcherRouter {
  private readonly direct: Agent;
  private readonly proxied = new Map<string, Agent>();
  /** No proxy anywhere (the common case): every request goes direct without looking at its URL. */
  private readonly directOnly: boolean;

  constructor(
    private readonly settings: DispatcherSettings,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Extra trusted certificate authority (tests). */
    private readonly ca?: string,
  ) {
    this.direct = new Agent({
      ...this.timeouts(),
      connect: {
        timeout: settings.connectMs,
        ...(ca === undefined ? {} : { ca: [...tls.rootCertificates, ca] }),
      },
    });
    this.directOnly =
      settings.proxyOff === true ||
      [settings.proxy, env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy].every(
        (value) => value === undefined || value.trim() === '',
      );
  }

  /** The pool a request to `href` goes through. */
  dispatcherFor(href: string): Dispatcher {
    if (this.directOnly) return this.direct;
    const proxy = proxyFor(new URL(href), this.settings, this.env);
    if (proxy === undefined) return this.direct;
    let agent = this.proxied.get(proxy.href);
    if (agent === undefined) {
      agent = new Agent({
        ...this.timeouts(),
        connect: tunnelConnector(proxy, {
          timeoutMs: this.settings.connectMs,
          rejectUnauthorized: this.settings.proxyStrictSSL !== false,
          ...(this.ca === undefined ? {} : { ca: [...tls.rootCertificates, this.ca] }),
        }),
      });
      this.proxied.set(proxy.href, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    await Promise.all([this.direct, ...this.proxied.values()].map((agent) => agent.close()));
  }

  private timeouts(): { headersTimeout: number; bodyTimeout: number } {
    return { headersTimeout: this.settings.headersMs, bodyTimeout: this.settings.bodyMs };
  }
}
