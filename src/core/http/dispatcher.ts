import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import { definedEntries } from '../optionalFields';

export interface DispatcherSettings {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
  /** Explicit proxy URL; wins over the environment. */
  proxy?: string;
}

/** A proxy can never reach this machine's own servers, so an environment proxy never applies to them. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

export type ProxyChoice = { kind: 'direct' } | { kind: 'explicit'; uri: string } | { kind: 'environment' };

/** An explicit proxy wins; else HTTP(S)_PROXY from the environment (NO_PROXY and loopback bypass it); else direct. */
export function chooseProxy(proxy: string | undefined, env: NodeJS.ProcessEnv = process.env): ProxyChoice {
  if (proxy !== undefined && proxy.trim() !== '') return { kind: 'explicit', uri: proxy.trim() };
  const fromEnv = [env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy].some(
    (value) => value !== undefined && value.trim() !== '',
  );
  return fromEnv ? { kind: 'environment' } : { kind: 'direct' };
}

/** A keep-alive connection pool with the timeouts applied, going through a proxy where one is chosen. */
export function createDispatcher(
  settings: DispatcherSettings,
  env: NodeJS.ProcessEnv = process.env,
): Dispatcher {
  const common = { headersTimeout: settings.headersMs, bodyTimeout: settings.bodyMs };
  const choice = chooseProxy(settings.proxy, env);
  switch (choice.kind) {
    case 'direct':
      return new Agent({ ...common, connect: { timeout: settings.connectMs } });
    case 'explicit':
      return new ProxyAgent({ ...common, uri: choice.uri, proxyTls: { timeout: settings.connectMs } });
    case 'environment':
      return new EnvHttpProxyAgent({
        ...common,
        connect: { timeout: settings.connectMs },
        noProxy: [env.NO_PROXY ?? env.no_proxy, ...LOOPBACK].filter(Boolean).join(','),
        ...definedEntries({
          httpProxy: env.HTTP_PROXY ?? env.http_proxy,
          httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
        }),
      });
  }
}
