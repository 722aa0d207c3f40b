/**
 * Which proxy, if any, a request goes through. An explicit proxy (VS Code's `http.proxy`, the CLI's
 * option) wins over HTTPS_PROXY / HTTP_PROXY from the environment. Hosts listed in `http.noProxy` or
 * NO_PROXY go direct, and so do loopback targets unless the user asks for them to be proxied: a proxy
 * elsewhere cannot reach this machine's own servers (the default local llama.cpp profile).
 */
import { BlockList, isIP } from 'node:net';

export interface ProxySettings {
  /** Explicit proxy URL; wins over the environment. */
  proxy?: string;
  /** Extra bypass entries (VS Code's `http.noProxy`), same syntax as NO_PROXY. */
  noProxy?: readonly string[];
  /** Send loopback targets (127.0.0.0/8, ::1, localhost) through the proxy too. */
  proxyLoopback?: boolean;
  /** No proxy at all, neither the explicit one nor the environment's. */
  proxyOff?: boolean;
}

/** The proxy for a target URL, or undefined to connect directly. */
export function proxyFor(
  target: URL,
  settings: ProxySettings,
  env: NodeJS.ProcessEnv = process.env,
): URL | undefined {
  if (settings.proxyOff) return undefined;
  const proxy = nonEmpty(settings.proxy) ?? environmentProxy(target, env);
  if (proxy === undefined) return undefined;
  if (!settings.proxyLoopback && isLoopback(target.hostname)) return undefined;
  const bypass = [...(settings.noProxy ?? []), ...splitList(env.NO_PROXY ?? env.no_proxy ?? '')];
  if (bypassed(target, bypass)) return undefined;
  return parseProxyUrl(proxy);
}

function environmentProxy(target: URL, env: NodeJS.ProcessEnv): string | undefined {
  const http = nonEmpty(env.HTTP_PROXY) ?? nonEmpty(env.http_proxy);
  if (target.protocol === 'https:') return nonEmpty(env.HTTPS_PROXY) ?? nonEmpty(env.https_proxy) ?? http;
  return http;
}

/** A proxy URL; a bare `host:port` (as people write in HTTP_PROXY) means http. */
export function parseProxyUrl(proxy: string): URL {
  const text = proxy.trim();
  try {
    return new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new TypeError(
      `The proxy setting "${safeProxyText(text)}" is not a URL (expected e.g. http://proxy.example:3128).`,
    );
  }
}

/** A proxy as it may be shown: scheme, host and port, never the credentials. */
export function proxyLabel(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

function safeProxyText(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//');
}

/** The secrets in the proxy URLs this process may use (password, and user:password as sent in Basic auth). */
export function proxyCredentials(proxy: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets: string[] = [];
  for (const value of [proxy, env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy]) {
    const text = nonEmpty(value);
    if (text === undefined) continue;
    try {
      const url = parseProxyUrl(text);
      if (url.password !== '') {
        const user = decodeURIComponent(url.username);
        const password = decodeURIComponent(url.password);
        secrets.push(password, `${user}:${password}`);
      }
    } catch {
      // Not a URL: nothing to take out of it, and it is never used.
    }
  }
  return secrets;
}

export function isLoopback(hostname: string): boolean {
  const host = unbracket(hostname).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * NO_PROXY semantics as curl and most tools read them: `*` bypasses everything; `example.com`,
 * `.example.com` and `*.example.com` match the domain and its subdomains; `host:port` only that
 * port; an IP address matches itself and a CIDR range (`10.0.0.0/8`, `fd00::/8`) its addresses.
 */
export function bypassed(target: URL, entries: readonly string[]): boolean {
  const host = unbracket(target.hostname).toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    const { name, entryPort } = splitHostPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    const domain = name.replace(/^\*?\./, '');
    if (domain === '') continue;
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function splitHostPort(entry: string): { name: string; entryPort?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', ...(bracketed[2] ? { entryPort: bracketed[2] } : {}) };
  if (isIP(entry) === 6) return { name: entry };
  const colon = entry.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(entry.slice(colon + 1)))
    return { name: entry.slice(0, colon), entryPort: entry.slice(colon + 1) };
  return { name: entry };
}

function inCidr(host: string, entry: string): boolean {
  const [network = '', bitsText = ''] = entry.split('/');
  const family = isIP(network);
  const bits = Number(bitsText);
  const hostFamily = isIP(host);
  if (family === 0 || hostFamily !== family || !Number.isInteger(bits)) return false;
  if (bits < 0 || bits > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(network, bits, type);
  return list.check(host, type);
}

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
