// A loopback proxy in front of a test server that passes server-sent events on one at a time with a
// delay, so a test can act while a completion is still streaming. Records requests the client abandoned.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  url: string;
  /** Requests whose client went away before the reply ended. */
  abandoned: number;
  /** Requests fully answered. */
  finished: number;
  close(): Promise<void>;
}

export async function startSlowProxy(target: string, msPerEvent: number): Promise<SlowProxy> {
  const targetUrl = new URL(target);
  const state = { abandoned: 0, finished: 0 };
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        const isStream = String(reply.headers['content-type'] ?? '').includes('text/event-stream');
        if (!isStream) {
          reply.pipe(res);
          return;
        }
        let buffered = '';
        let queue = Promise.resolve();
        let gone = false;
        res.on('close', () => {
          if (!res.writableEnded) {
            gone = true;
            state.abandoned++;
            upstream.destroy();
          }
        });
        const send = (event: string): void => {
          queue = queue.then(async () => {
            await new Promise((resolve) => setTimeout(resolve, msPerEvent));
            if (!gone) res.write(event);
          });
        };
        reply.setEncoding('utf8');
        reply.on('data', (chunk: string) => {
          buffered += chunk;
          let end: number;
          while ((end = buffered.indexOf('\n\n')) >= 0) {
            send(buffered.slice(0, end + 2));
            buffered = buffered.slice(end + 2);
          }
        });
        reply.on('end', () => {
          queue = queue.then(() => {
            if (gone) return;
            if (buffered) res.write(buffered);
            res.end();
            state.finished++;
          });
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get abandoned() {
      return state.abandoned;
    },
    get finished() {
      return state.finished;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
