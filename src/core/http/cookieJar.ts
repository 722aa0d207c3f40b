/**
 * A client's cookie jar for one profile, after RFC 6265 (https://www.rfc-editor.org/rfc/rfc6265):
 * host-only or Domain cookies (a Domain must cover the host that set it), Path scoping with the
 * default path of section 5.1.4, Expires / Max-Age (5.2.1, 5.2.2), Secure cookies set and sent over
 * HTTPS only. HttpOnly restricts scripts, not an HTTP client, so those cookies are sent like any other.
 * A jar never sends a cookie to another host than the one that set it (even where its Domain would
 * allow it), and it bounds what a hostile server can make it keep.
 */

export interface StoredCookie {
  name: string;
  value: string;
  /** Lower-case host (host-only) or the Domain attribute without a leading dot. */
  domain: string;
  hostOnly: boolean;
  /** The host that set it: a cookie is only ever sent back there, whatever its Domain says. */
  setBy: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** ms since the epoch; undefined: a session cookie (kept until the jar is cleared). */
  expires?: number;
}

/** Limits for a hostile server (RFC 6265 section 6.1 asks for at least 4096 bytes and 50 cookies per domain). */
const MAX_COOKIE_BYTES = 4096;
const MAX_COOKIES = 50;

export class CookieJar {
  private cookies: StoredCookie[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Reads `Set-Cookie` header values of a reply to `url`. Malformed or foreign cookies are ignored. */
  store(url: URL, setCookie: readonly string[]): void {
    for (const header of setCookie) {
      const cookie = parseSetCookie(header, url, this.now());
      if (!cookie) continue;
      this.cookies = this.cookies.filter(
        (c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path),
      );
      if (cookie.expires === undefined || cookie.expires > this.now()) this.cookies.push(cookie);
    }
    if (this.cookies.length > MAX_COOKIES) this.cookies = this.cookies.slice(-MAX_COOKIES);
  }

  /** The `Cookie` header for a request to `url`, or undefined when no cookie applies (section 5.4). */
  header(url: URL): string | undefined {
    const now = this.now();
    this.cookies = this.cookies.filter((c) => c.expires === undefined || c.expires > now);
    const host = url.hostname.toLowerCase();
    const secure = url.protocol === 'https:';
    const matching = this.cookies
      .filter(
        (c) =>
          host === c.setBy &&
          (c.hostOnly ? host === c.domain : domainMatch(host, c.domain)) &&
          pathMatch(url.pathname || '/', c.path) &&
          (!c.secure || secure),
      )
      // Longer paths first (section 5.4 step 2).
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return undefined;
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  clear(): void {
    this.cookies = [];
  }

  get size(): number {
    return this.cookies.length;
  }
}

function parseSetCookie(header: string, url: URL, now: number): StoredCookie | undefined {
  if (header.length > MAX_COOKIE_BYTES) return undefined;
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (name === '' || /\s/.test(name) || hasControl(name) || hasControl(value)) return undefined;
  const host = url.hostname.toLowerCase();
  const cookie: StoredCookie = {
    name,
    value,
    domain: host,
    hostOnly: true,
    setBy: host,
    path: defaultPath(url.pathname),
    secure: false,
    httpOnly: false,
  };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const arg = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(arg)) maxAge = Number(arg);
    else if (key === 'expires') {
      const time = Date.parse(arg);
      if (!Number.isNaN(time)) expires = time;
    } else if (key === 'domain' && arg !== '') {
      const domain = arg.replace(/^\./, '').toLowerCase();
      // A server may only name its own host or a parent domain of it (section 5.3 step 6).
      if (!domainMatch(host, domain)) return undefined;
      cookie.domain = domain;
      cookie.hostOnly = domain === host;
    } else if (key === 'path') cookie.path = arg.startsWith('/') ? arg : defaultPath(url.pathname);
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
  }
  // A plain-HTTP reply may not set a Secure cookie (RFC 6265bis section 5.6 step 14).
  if (cookie.secure && url.protocol !== 'https:') return undefined;
  // Max-Age wins over Expires (section 5.3 step 3); 0 or less expires the cookie at once.
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? now - 1 : now + maxAge * 1000;
  else if (expires !== undefined) cookie.expires = expires;
  return cookie;
}

/** Section 5.1.4: the request path up to (not including) its last `/`, or `/`. */
function defaultPath(path: string): string {
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/** Section 5.1.4: the cookie path is the request path, or a prefix of it ending at a `/`. */
function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Section 5.1.3: the same host, or a subdomain of `domain` when the host is a name (not an IP address). */
function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  const isIp = /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
  return !isIp && host.endsWith(`.${domain}`);
}

/** Control characters (section 4.1.1 allows none in a name or value). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
