/** The per-profile cookie jar after RFC 6265: scope by host and path, expiry, Secure, bounds. */
import * as assert from 'node:assert/strict';
import { CookieJar } from '../../../../src/core/http/cookieJar';

const at = (href: string) => new URL(href);

describe('CookieJar (RFC 6265 for one profile)', () => {
  it('sends a cookie back only to the host that set it, within its path', () => {
    const jar = new CookieJar();
    jar.store(at('https://vm.example.com/vm/abc/props'), ['session=1; Path=/vm/abc; HttpOnly']);
    assert.equal(jar.header(at('https://vm.example.com/vm/abc/completion')), 'session=1');
    assert.equal(jar.header(at('https://vm.example.com/vm/abc')), 'session=1');
    assert.equal(
      jar.header(at('https://vm.example.com/vm/abcd/completion')),
      undefined,
      'not a path prefix at a /',
    );
    assert.equal(jar.header(at('https://vm.example.com/other')), undefined);
    assert.equal(jar.header(at('https://other.example.com/vm/abc/completion')), undefined, 'another host');
    assert.equal(jar.header(at('https://evil.com/vm/abc/completion')), undefined);
  });

  it('takes the default path of the request (up to its last slash) when none is given', () => {
    const jar = new CookieJar();
    jar.store(at('https://h.example/vm/abc/props'), ['a=1']);
    assert.equal(jar.header(at('https://h.example/vm/abc/completion')), 'a=1');
    assert.equal(jar.header(at('https://h.example/vm/other')), undefined);
  });

  it('refuses a Domain that does not cover the host, and never sends a Domain cookie to a sibling', () => {
    const jar = new CookieJar();
    jar.store(at('https://a.example.com/'), ['x=1; Domain=evil.com', 'y=2; Domain=example.com']);
    assert.equal(jar.header(at('https://a.example.com/')), 'y=2');
    assert.equal(jar.header(at('https://b.example.com/')), undefined);
  });

  it('expires cookies by Max-Age (over Expires) and deletes one with Max-Age=0', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const jar = new CookieJar(() => now);
    jar.store(at('http://127.0.0.1/'), [
      'short=1; Max-Age=60; Expires=Wed, 01 Jan 2031 00:00:00 GMT',
      'long=2; Expires=Wed, 01 Jan 2031 00:00:00 GMT',
      'past=3; Expires=Wed, 01 Jan 2020 00:00:00 GMT',
    ]);
    assert.equal(jar.header(at('http://127.0.0.1/x')), 'short=1; long=2');
    now += 61_000;
    assert.equal(jar.header(at('http://127.0.0.1/x')), 'long=2');
    jar.store(at('http://127.0.0.1/'), ['long=2; Max-Age=0']);
    assert.equal(jar.header(at('http://127.0.0.1/x')), undefined);
  });

  it('Secure: set and sent over HTTPS only; HttpOnly cookies are sent (an HTTP client is no script)', () => {
    const jar = new CookieJar();
    jar.store(at('http://h.example/'), ['plain=1; Secure']);
    assert.equal(jar.size, 0, 'a plain-HTTP reply cannot set a Secure cookie');
    jar.store(at('https://h.example/'), ['s=1; Secure; HttpOnly']);
    assert.equal(jar.header(at('https://h.example/')), 's=1');
    assert.equal(jar.header(at('http://h.example/')), undefined);
  });

  it('replaces a cookie of the same name, domain and path; longer paths come first; bounded', () => {
    const jar = new CookieJar();
    jar.store(at('https://h.example/a/b/c'), ['n=1; Path=/', 'n=2; Path=/', 'm=3; Path=/a/b']);
    assert.equal(jar.header(at('https://h.example/a/b/c')), 'm=3; n=2');
    jar.store(at('https://h.example/'), ['big=' + 'x'.repeat(5000), 'bad name=1', '=nameless']);
    assert.equal(jar.size, 2, 'oversized and malformed cookies are ignored');
    jar.store(
      at('https://h.example/'),
      Array.from({ length: 80 }, (_, i) => `c${i}=1`),
    );
    assert.ok(jar.size <= 50);
    jar.clear();
    assert.equal(jar.header(at('https://h.example/a/b/c')), undefined);
  });
});
