import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { ConnectionError } from '../../../../src/core/errors';
import { HttpClient } from '../../../../src/core/http/httpClient';
import { bypassed, isLoopback, proxyCredentials, proxyFor } from '../../../../src/core/http/proxyRoute';
import { errorFromStatus } from '../../../../src/core/http/statusErrors';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { startTestProxy, type TestProxy } from '../../../fixtures/proxy/server';
import { TEST_CERT, TEST_HOST, TEST_KEY } from '../../../fixtures/proxy/tls';
import { startScriptedServer, type ScriptedServer } from './scriptedServer';

const okSchema = z.object({ ok: z.boolean() });

describe('proxy selection', () => {
  const remote = new URL('https://api.example.com/v1');
  const plain = new URL('http://api.example.com/v1');

  it('prefers the explicit proxy, then the environment (by the target scheme), else connects directly', () => {
    assert.equal(
      proxyFor(remote, { proxy: 'http://proxy:3128' }, { HTTPS_PROXY: 'http://env:1' })?.host,
      'proxy:3128',
    );
    assert.equal(proxyFor(remote, {}, { HTTPS_PROXY: 'http://env:1' })?.host, 'env:1');
    assert.equal(
      proxyFor(remote, { proxy: 'http://proxy:3128', proxyOff: true }, { HTTPS_PROXY: 'http://env:1' }),
      undefined,
    );
    assert.equal(proxyFor(plain, {}, { http_proxy: 'env:2' })?.host, 'env:2');
    assert.equal(proxyFor(plain, {}, { HTTPS_PROXY: 'http://env:1' }), undefined);
    assert.equal(proxyFor(remote, {}, {}), undefined);
    assert.equal(proxyFor(remote, { proxy: '  ' }, { HTTP_PROXY: ' ' }), undefined);
  });

  it('never proxies loopback targets unless asked to', () => {
    for (const target of [
      'http://127.0.0.1:8080',
      'http://127.1.2.3',
      'http://[::1]:8080',
      'http://localhost:8080',
      'http://a.localhost',
    ]) {
      const url = new URL(target);
      assert.equal(isLoopback(url.hostname), true, target);
      assert.equal(proxyFor(url, { proxy: 'http://proxy:3128' }, {}), undefined, target);
      assert.equal(proxyFor(url, {}, { HTTP_PROXY: 'http://env:1' }), undefined, target);
      assert.equal(
        proxyFor(url, { proxy: 'http://proxy:3128', proxyLoopback: true }, {})?.host,
        'proxy:3128',
        target,
      );
    }
    assert.equal(isLoopback('128.0.0.1'), false);
    assert.equal(isLoopback('localhost.example.com'), false);
  });

  it('honours http.noProxy and NO_PROXY: hosts, domains, leading dots, ports, CIDR ranges and *', () => {
    const at = (target: string) => new URL(target);
    assert.equal(bypassed(at('https://api.example.com'), ['example.com']), true);
    assert.equal(bypassed(at('https://example.com'), ['.example.com']), true);
    assert.equal(bypassed(at('https://a.b.example.com'), ['*.example.com']), true);
    assert.equal(bypassed(at('https://badexample.com'), ['example.com']), false);
    assert.equal(bypassed(at('http://models.internal:8080'), ['models.internal:8080']), true);
    assert.equal(bypassed(at('http://models.internal:9090'), ['models.internal:8080']), false);
    assert.equal(bypassed(at('https://models.internal'), ['models.internal:443']), true);
    assert.equal(bypassed(at('http://10.1.2.3:8080'), ['10.0.0.0/8']), true);
    assert.equal(bypassed(at('http://11.1.2.3:8080'), ['10.0.0.0/8']), false);
    assert.equal(bypassed(at('http://[fd00::5]:8080'), ['fd00::/8']), true);
    assert.equal(bypassed(at('http://192.168.1.9'), ['192.168.1.9']), true);
    assert.equal(bypassed(at('https://anything.example'), ['*']), true);
    assert.equal(bypassed(at('https://anything.example'), ['', ' ', 'bogus/xx']), false);
    // Both lists apply, to the explicit proxy and to the environment's.
    assert.equal(proxyFor(remote, { proxy: 'http://p:1', noProxy: ['example.com'] }, {}), undefined);
    assert.equal(proxyFor(remote, { proxy: 'http://p:1' }, { NO_PROXY: 'foo.org, .example.com' }), undefined);
    assert.equal(proxyFor(remote, {}, { HTTPS_PROXY: 'http://p:1', no_proxy: 'api.example.com' }), undefined);
  });

  it('knows the credentials in proxy URLs, as secrets to keep out of errors', () => {
    assert.deepEqual(proxyCredentials('http://me:s%40cret@proxy:3128', {}), ['s@cret', 'me:s@cret']);
    assert.deepEqual(proxyCredentials(undefined, { HTTPS_PROXY: 'http://u:pw12@p:1' }), ['pw12', 'u:pw12']);
    assert.deepEqual(proxyCredentials('http://proxy:3128', {}), []);
  });

  describe('on the wire', () => {
    let target: ScriptedServer;
    let proxy: TestProxy;
    beforeEach(async () => {
      target = await startScriptedServer();
      proxy = await startTestProxy();
    });
    afterEach(async () => {
      await proxy.close();
      await target.close();
    });

    async function get(client: HttpClient): Promise<void> {
      try {
        assert.deepEqual(await client.json({ method: 'GET', path: '/', schema: okSchema }), { ok: true });
      } finally {
        await client.close();
      }
    }

    const targetHost = () => new URL(target.url).host;
    const mapError = (status: number) => errorFromStatus(status, '');
    // The test proxy sends every tunnel to loopback, so a made-up host name shows that the proxy was used.
    const viaName = () => `http://promptlens-target.invalid:${new URL(target.url).port}`;

    it('tunnels through an explicit proxy (a remote-looking target)', async () => {
      await get(new HttpClient({ baseUrl: viaName(), proxy: proxy.url, mapError }, { env: {} }));
      assert.deepEqual(proxy.tunnels, [new URL(viaName()).host]);
    });

    it('connects to a loopback target directly despite http.proxy, and through it when asked', async () => {
      await get(new HttpClient({ baseUrl: target.url, proxy: proxy.url, mapError }, { env: {} }));
      assert.deepEqual(proxy.tunnels, []);
      assert.equal(proxy.connections, 0);
      await get(
        new HttpClient(
          { baseUrl: target.url, proxy: proxy.url, network: { proxyLoopback: true }, mapError },
          { env: {} },
        ),
      );
      assert.deepEqual(proxy.tunnels, [targetHost()]);
    });

    it('tunnels through HTTP_PROXY from the environment', async () => {
      await get(new HttpClient({ baseUrl: viaName(), mapError }, { env: { HTTP_PROXY: proxy.url } }));
      assert.deepEqual(proxy.tunnels, [new URL(viaName()).host]);
    });

    it('sends proxy credentials as Basic Proxy-Authorization', async () => {
      proxy.mode = 'auth-required';
      proxy.credentials = 'me:pw:ok';
      const withCredentials = proxy.url.replace('http://', 'http://me:pw%3Aok@');
      await get(new HttpClient({ baseUrl: viaName(), proxy: withCredentials, mapError }, { env: {} }));
      assert.deepEqual(proxy.authorizations, [`Basic ${Buffer.from('me:pw:ok').toString('base64')}`]);
    });

    it('connects directly to a host listed in NO_PROXY or http.noProxy', async () => {
      for (const [network, env] of [
        [{}, { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org,.invalid' }],
        [{ noProxy: ['promptlens-target.invalid'] }, { HTTP_PROXY: proxy.url }],
      ] as const) {
        const bypassing = new HttpClient(
          { baseUrl: viaName(), mapError, network, retry: { maxRetries: 0 } },
          { env },
        );
        // Direct, so the made-up name does not resolve.
        await assert.rejects(bypassing.json({ method: 'GET', path: '/', schema: okSchema }), ConnectionError);
        await bypassing.close();
      }
      assert.deepEqual(proxy.tunnels, []);
    });

    it('never sends loopback requests through an environment proxy', async () => {
      await get(
        new HttpClient(
          { baseUrl: target.url, mapError },
          { env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } },
        ),
      );
      assert.deepEqual(proxy.tunnels, []);
      assert.equal(target.requests.length, 1);
    });

    it('speaks TLS to an https target through the tunnel, checking its certificate', async () => {
      const secure = https.createServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
      const baseUrl = `https://${TEST_HOST}:${(secure.address() as AddressInfo).port}`;
      try {
        await get(new HttpClient({ baseUrl, proxy: proxy.url, mapError }, { env: {}, ca: TEST_CERT }));
        assert.deepEqual(proxy.tunnels, [new URL(baseUrl).host]);
        const untrusting = new HttpClient(
          { baseUrl, proxy: proxy.url, mapError, retry: { maxRetries: 0 } },
          { env: {} },
        );
        await assert.rejects(untrusting.json({ method: 'GET', path: '/', schema: okSchema }), /certificate/);
        await untrusting.close();
      } finally {
        secure.closeAllConnections();
        await new Promise((resolve) => secure.close(resolve));
      }
    });

    it('accepts any certificate through the proxy when http.proxyStrictSSL is off, never on a direct connection', async () => {
      const secure = https.createServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
      const port = (secure.address() as AddressInfo).port;
      const network = { proxyStrictSSL: false };
      try {
        // An intercepting proxy's certificate is not trusted (no `ca` given), and the run succeeds.
        await get(
          new HttpClient(
            { baseUrl: `https://${TEST_HOST}:${port}`, proxy: proxy.url, network, mapError },
            { env: {} },
          ),
        );
        assert.deepEqual(proxy.tunnels, [`${TEST_HOST}:${port}`]);
        // The same setting leaves a direct connection checked.
        const direct = new HttpClient(
          {
            baseUrl: `https://127.0.0.1:${port}`,
            network: { proxyStrictSSL: false },
            mapError,
            retry: { maxRetries: 0 },
          },
          { env: {} },
        );
        await assert.rejects(direct.json({ method: 'GET', path: '/', schema: okSchema }), /certificate/);
        await direct.close();
      } finally {
        secure.closeAllConnections();
        await new Promise((resolve) => secure.close(resolve));
      }
    });

    it("uses no proxy at all when http.proxySupport is off, neither the explicit one nor the environment's", async () => {
      const off = new HttpClient(
        {
          baseUrl: viaName(),
          proxy: proxy.url,
          network: { proxyOff: true },
          mapError,
          retry: { maxRetries: 0 },
        },
        { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } },
      );
      // Direct, so the made-up name does not resolve.
      await assert.rejects(off.json({ method: 'GET', path: '/', schema: okSchema }), ConnectionError);
      await off.close();
      assert.deepEqual(proxy.tunnels, []);
      assert.equal(proxy.connections, 0);
    });

    it('connects directly without any proxy setting', async () => {
      await get(new HttpClient({ baseUrl: target.url, mapError }, { env: {} }));
      assert.deepEqual(proxy.tunnels, []);
    });
  });
});
