import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { ConnectionError } from '../../../../src/core/errors';
import { chooseProxy } from '../../../../src/core/http/dispatcher';
import { HttpClient } from '../../../../src/core/http/httpClient';
import { errorFromStatus } from '../../../../src/core/http/statusErrors';
import { startConnectProxy, startScriptedServer, type ScriptedServer } from './scriptedServer';

const okSchema = z.object({ ok: z.boolean() });

describe('proxy selection', () => {
  it('prefers the explicit proxy, then the environment, else connects directly', () => {
    assert.deepEqual(chooseProxy('http://proxy:3128', { HTTPS_PROXY: 'http://env:1' }), {
      kind: 'explicit',
      uri: 'http://proxy:3128',
    });
    assert.deepEqual(chooseProxy(undefined, { HTTPS_PROXY: 'http://env:1' }), { kind: 'environment' });
    assert.deepEqual(chooseProxy(undefined, { http_proxy: 'http://env:1' }), { kind: 'environment' });
    assert.deepEqual(chooseProxy(undefined, {}), { kind: 'direct' });
    assert.deepEqual(chooseProxy('  ', { HTTP_PROXY: ' ' }), { kind: 'direct' });
  });

  describe('on the wire', () => {
    let target: ScriptedServer;
    let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
    beforeEach(async () => {
      target = await startScriptedServer();
      proxy = await startConnectProxy();
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

    it('tunnels through an explicit proxy', async () => {
      await get(new HttpClient({ baseUrl: target.url, proxy: proxy.url, mapError }, { env: {} }));
      assert.deepEqual(proxy.tunnels, [targetHost()]);
    });

    // The test proxy sends every tunnel to the target, so a made-up host name shows that the proxy was used.
    const viaName = () => `http://promptlens-target.invalid:${new URL(target.url).port}`;

    it('tunnels through HTTP_PROXY from the environment', async () => {
      await get(new HttpClient({ baseUrl: viaName(), mapError }, { env: { HTTP_PROXY: proxy.url } }));
      assert.deepEqual(proxy.tunnels, [new URL(viaName()).host]);
    });

    it('connects directly to a host listed in NO_PROXY', async () => {
      const bypassing = new HttpClient(
        { baseUrl: viaName(), mapError, retry: { maxRetries: 0 } },
        { env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org,.invalid' } },
      );
      // Direct, so the made-up name does not resolve.
      await assert.rejects(bypassing.json({ method: 'GET', path: '/', schema: okSchema }), ConnectionError);
      await bypassing.close();
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

    it('connects directly without any proxy setting', async () => {
      await get(new HttpClient({ baseUrl: target.url, mapError }, { env: {} }));
      assert.deepEqual(proxy.tunnels, []);
    });
  });
});
