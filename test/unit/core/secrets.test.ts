// The token never appears where a person or a file can see it: every error shape of every backend,
// streaming and not, with the server echoing the Authorization header into every text field it has.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { Backend, BackendKind } from '../../../src/core/backend';
import { createBackend } from '../../../src/core/backends';
import { InvalidResponseError, PromptLensError, ServerError } from '../../../src/core/errors';
import { REDACTED, scrubError } from '../../../src/core/secrets';
import { startAlephAlphaServer, type AlephAlphaServer } from '../../fixtures/alephAlpha/server';
import type { LlamaCppServerHandle } from '../../fixtures/llamaCpp/options';
import { startLlamaCppServer } from '../../fixtures/llamaCpp/server';
import { startOpenAiServer, type OpenAiTestServer } from '../../fixtures/openai/server';
import type { RawFault, RawReply } from '../../fixtures/rawReply';
import { echoedErrorShapes, SECRET_TOKEN } from './secretEchoes';

/** Everything a person or a log could see of an error, hidden fields and causes included. */
export function everythingIn(error: unknown): string {
  return [
    String(error),
    inspect(error, { depth: 20, showHidden: true, maxStringLength: Infinity }),
    JSON.stringify(error),
  ].join('\n');
}

describe('secrets in errors', () => {
  it('scrubs every text field, the stack and the cause chain, in every form the secret takes', () => {
    const token = 'sk-live-0123456789"abc';
    const inner = new Error(`inner ${token}`);
    const error = new InvalidResponseError(`bad ${token}`, `{"echo":${JSON.stringify(token)}}`, 500);
    Object.assign(error, { cause: inner, detail: { url: `https://x/?key=${encodeURIComponent(token)}` } });
    const aggregate = new AggregateError([new Error(`Bearer ${token}`)], 'several');
    scrubError(error, [token]);
    scrubError(aggregate, [token]);
    for (const text of [everythingIn(error), everythingIn(aggregate)]) {
      assert.ok(!text.includes(token) && !text.includes('0123456789'), text);
    }
    assert.ok(error instanceof InvalidResponseError, 'keeps its class');
    assert.equal(error.message, `bad ${REDACTED}`);
    assert.equal(scrubError(`thrown ${token}`, [token]), `thrown ${REDACTED}`);
    // Too short to be a secret: left alone rather than garbling every message.
    assert.equal(scrubError(new Error('a b c'), ['a']).message, 'a b c');
  });

  describe('every error shape of every backend, the server echoing the token', () => {
    let openai: OpenAiTestServer;
    let llama: LlamaCppServerHandle;
    let aleph: AlephAlphaServer;
    const backends: Backend[] = [];
    before(async () => {
      [openai, llama, aleph] = await Promise.all([
        startOpenAiServer(),
        startLlamaCppServer(),
        startAlephAlphaServer({ token: SECRET_TOKEN }),
      ]);
    });
    after(async () => {
      await Promise.all(backends.splice(0).map((backend) => backend.close()));
      await Promise.all([openai.close(), llama.close(), aleph.close()]);
    });

    function inject(kind: BackendKind, fault: RawFault): void {
      if (kind === 'openai') openai.faults.push({ kind: 'raw', reply: fault });
      else if (kind === 'llama-cpp') llama.setFaults({ raw: [fault], paths: ['/completion'] });
      else aleph.setFaults({ raw: [fault], endpoint: 'complete' });
    }

    for (const kind of ['openai', 'llama-cpp', 'aleph-alpha'] as const) {
      it(`${kind}: found in no error`, async () => {
        const url = kind === 'openai' ? openai.url : kind === 'llama-cpp' ? llama.url : aleph.url;
        const backend = await createBackend(kind, {
          url,
          token: SECRET_TOKEN,
          model: 'luminous-base',
          retry: { maxRetries: 0 },
        });
        backends.push(backend);
        const shapes = echoedErrorShapes(kind);
        assert.ok(shapes.length >= 12, 'every shape is tried');
        let echoed = 0;
        for (const shape of shapes) {
          let seenByServer = '';
          inject(kind, (request) => {
            seenByServer = String(request.headers.authorization ?? '');
            return shape.reply(seenByServer) satisfies RawReply;
          });
          let caught: unknown;
          try {
            if (shape.streamed) for await (const _ of backend.stream({ prompt: 'Hi', maxTokens: 2 })) void _;
            else await backend.complete({ prompt: 'Hi', maxTokens: 2 });
          } catch (error) {
            caught = error;
          }
          assert.ok(caught instanceof PromptLensError, `${kind} ${shape.name}: ${String(caught)}`);
          assert.ok(
            seenByServer.includes(SECRET_TOKEN),
            `${kind} ${shape.name}: the server had the token to echo`,
          );
          if (everythingIn(caught).includes(REDACTED)) echoed++;
          assert.ok(
            !everythingIn(caught).includes(SECRET_TOKEN),
            `${kind} ${shape.name}: ${everythingIn(caught)}`,
          );
        }
        assert.ok(echoed >= shapes.length / 2, 'most shapes carried the echo up to the choke point');
      });
    }

    it('a server message without the token is kept as it was', async () => {
      const backend = await createBackend('llama-cpp', { url: llama.url, token: SECRET_TOKEN });
      backends.push(backend);
      llama.setFaults({
        raw: [
          () => ({
            status: 200,
            headers: { 'content-type': 'text/event-stream' },
            body: 'error: {"content":"out of memory"}\n\n',
          }),
        ],
        paths: ['/completion'],
      });
      await assert.rejects(
        async () => {
          for await (const _ of backend.stream({ prompt: 'Hi', maxTokens: 2 })) void _;
        },
        (error: unknown) => error instanceof ServerError && error.message.includes('out of memory'),
      );
    });
  });
});
