/**
 * Our own CONNECT tunnel through a proxy, so that every failure of the proxy stage is bounded by one
 * deadline, ends the attempt (undici's ProxyAgent re-dials a proxy that closes CONNECT forever: its
 * socket error leaves the request queued) and names the proxy rather than the target.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { buildConnector } from 'undici';
import { ConnectionError, TimeoutError } from '../errors';
import { proxyLabel } from './proxyRoute';

/** A failure at the proxy; never retried by undici's pool, and carries no socket-error code. */
export class ProxyError extends ConnectionError {}

export class ProxyTimeoutError extends TimeoutError {}

/** A proxy's answer to CONNECT is a status line and a few headers; more is not a proxy. */
const MAX_CONNECT_REPLY_BYTES = 16 * 1024;

export interface TunnelOptions {
  /** Dial + CONNECT reply, in milliseconds. */
  timeoutMs: number;
  /** Trusted certificate authorities for the target (default: Node's). */
  ca?: string[];
  /** Check the certificates of the proxy (https://) and of the target; false accepts any. */
  rejectUnauthorized?: boolean;
}

/** An undici connector that reaches every target through a CONNECT tunnel at `proxy`. */
export function tunnelConnector(proxy: URL, options: TunnelOptions): buildConnector.connector {
  // Only an explicit false is passed on: otherwise Node's default applies (and its environment).
  const rejectUnauthorized = options.rejectUnauthorized !== false;
  const tlsToTarget = buildConnector({
    timeout: options.timeoutMs,
    ...(rejectUnauthorized ? {} : { rejectUnauthorized: false }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  return (target, callback) => {
    const authority = `${target.hostname.includes(':') && !target.hostname.startsWith('[') ? `[${target.hostname}]` : target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`;
    openTunnel(proxy, authority, options.timeoutMs, rejectUnauthorized).then(
      (socket) => {
        if (target.protocol !== 'https:') return callback(null, socket);
        tlsToTarget({ ...target, httpSocket: socket }, callback);
      },
      (error: Error) => callback(error, null),
    );
  };
}

/** Dials the proxy, asks for a tunnel to `authority` (host:port) and resolves with the open socket. */
export function openTunnel(
  proxy: URL,
  authority: string,
  timeoutMs: number,
  rejectUnauthorized = true,
): Promise<net.Socket> {
  const label = proxyLabel(proxy);
  return new Promise((resolve, reject) => {
    const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
    const host = proxy.hostname.replace(/^\[|\]$/g, '');
    const socket: net.Socket =
      proxy.protocol === 'https:'
        ? tls.connect({
            host,
            port,
            servername: net.isIP(host) ? '' : host,
            ...(rejectUnauthorized ? {} : { rejectUnauthorized: false }),
          })
        : net.connect({ host, port });
    let connected = false;
    let received = Buffer.alloc(0);
    const fail = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(
        connected
          ? new ProxyTimeoutError(
              `The proxy at ${label} accepted the connection but never answered (waited ${seconds(timeoutMs)}). Check the proxy setting, or try without the proxy.`,
            )
          : new ProxyTimeoutError(
              `Could not connect to the proxy at ${label} in ${seconds(timeoutMs)}. Check the proxy setting and the network.`,
            ),
      );
    }, timeoutMs);
    const onConnect = (): void => {
      connected = true;
      socket.write(connectRequest(proxy, authority));
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_CONNECT_REPLY_BYTES)
          fail(
            new ProxyError(
              `The proxy at ${label} answered the tunnel request with something that is not HTTP.`,
            ),
          );
        return;
      }
      const statusLine = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      if (!match)
        return fail(
          new ProxyError(
            `The proxy at ${label} answered the tunnel request with something that is not HTTP.`,
          ),
        );
      const status = Number(match[1]);
      if (status === 407)
        return fail(
          new ProxyError(
            `The proxy at ${label} asks for credentials (HTTP 407). Put them in the proxy URL (http://user:password@host:port).`,
          ),
        );
      if (status < 200 || status > 299)
        return fail(
          new ProxyError(
            `The proxy at ${label} refused the tunnel to ${authority} (HTTP ${status}${match[2] ? ` ${match[2].slice(0, 80)}` : ''}). Check the proxy setting, or add the host to http.noProxy / NO_PROXY.`,
          ),
        );
      cleanup();
      // Whoever reads the tunnel next (undici, TLS) attaches its own listeners; nothing may flow away before.
      socket.pause();
      const rest = received.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onClose = (): void =>
      fail(
        connected
          ? new ProxyError(
              `The proxy at ${label} refused the tunnel to ${authority}: it closed the connection without answering. Check the proxy setting, or add the host to http.noProxy / NO_PROXY.`,
            )
          : new ProxyError(
              `Could not connect to the proxy at ${label}. Check the proxy setting and the network.`,
            ),
      );
    const onError = (error: NodeJS.ErrnoException): void => {
      if (!connected && error.code === 'ECONNREFUSED')
        return fail(
          new ProxyError(
            `Could not connect to the proxy at ${label}: connection refused. Check the proxy setting.`,
          ),
        );
      if (!connected && (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'))
        return fail(new ProxyError(`Could not find the proxy host of ${label}. Check the proxy setting.`));
      onClose();
    };
    function cleanup(): void {
      clearTimeout(timer);
      socket.off(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', onConnect);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('end', onClose);
      socket.off('error', onError);
    }
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', onConnect);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('end', onClose);
    socket.on('error', onError);
  });
}

function connectRequest(proxy: URL, authority: string): string {
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (proxy.username !== '' || proxy.password !== '') {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
