// Error replies of every shape the three backends read, each echoing what the server was sent as
// Authorization (the token) into every text field it has: JSON error bodies, plain text, headers,
// bodies that are not JSON, schema mismatches, HTML pages, mid-stream error events and lines.
import type { BackendKind } from '../../../src/core/backend';
import type { RawReply } from '../../fixtures/rawReply';

export const SECRET_TOKEN = 'sk-ECHO-5f3c9a7e1b2d4c6e8f0a';

export interface EchoShape {
  name: string;
  streamed: boolean;
  reply: (authorization: string) => RawReply;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const SSE_TYPE = { 'content-type': 'text/event-stream' };

function common(kind: BackendKind): EchoShape[] {
  const errorBody = (auth: string, status: number): unknown =>
    kind === 'aleph-alpha'
      ? { error: `rejected ${auth}`, code: `CODE_${auth}` }
      : { error: { code: status, message: `rejected ${auth}`, type: `type ${auth}`, detail: auth } };
  const shapes: EchoShape[] = [];
  for (const status of [400, 401, 403, 404, 413, 429, 500, 502, 503]) {
    for (const streamed of [false, true]) {
      shapes.push({
        name: `${status} JSON${streamed ? ' (stream)' : ''}`,
        streamed,
        reply: (auth) => ({
          status,
          headers: { ...JSON_TYPE, 'www-authenticate': auth, 'retry-after': auth, 'x-echo': auth },
          body: JSON.stringify(errorBody(auth, status)),
        }),
      });
    }
  }
  shapes.push(
    {
      name: '500 plain text',
      streamed: false,
      reply: (auth) => ({
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: `500 Internal Server Error\n${auth}`,
      }),
    },
    {
      name: '400 plain text',
      streamed: true,
      reply: (auth) => ({ status: 400, headers: { 'content-type': 'text/plain' }, body: `bad: ${auth}` }),
    },
    {
      name: '200 not JSON',
      streamed: false,
      reply: (auth) => ({ status: 200, headers: JSON_TYPE, body: `{"oops": "${auth}` }),
    },
    {
      name: '200 wrong shape',
      streamed: false,
      reply: (auth) => ({
        status: 200,
        headers: JSON_TYPE,
        body: JSON.stringify({ unexpected: auth, completions: auth, choices: auth, content: 7 }),
      }),
    },
    {
      name: '200 HTML page',
      streamed: true,
      reply: (auth) => ({
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: `<html>${auth}</html>`,
      }),
    },
    {
      name: '200 JSON for a stream',
      streamed: true,
      reply: (auth) => ({ status: 200, headers: JSON_TYPE, body: JSON.stringify({ error: auth }) }),
    },
    {
      name: 'event not JSON',
      streamed: true,
      reply: (auth) => ({ status: 200, headers: SSE_TYPE, body: `data: {"x": "${auth}\n\n` }),
    },
  );
  return shapes;
}

/** Mid-stream errors as each backend's servers send them. */
function midStream(kind: BackendKind): EchoShape[] {
  const events = (body: string): RawReply => ({ status: 200, headers: SSE_TYPE, body });
  switch (kind) {
    case 'aleph-alpha':
      return [
        {
          name: 'error event',
          streamed: true,
          reply: (auth) => events(`data: ${JSON.stringify({ error: `failed ${auth}`, code: auth })}\n\n`),
        },
        { name: 'error line', streamed: true, reply: (auth) => events(`error: ${auth}\n\n`) },
      ];
    case 'openai':
      return [
        {
          name: 'error event',
          streamed: true,
          reply: (auth) =>
            events(
              `data: ${JSON.stringify({ error: { code: 500, message: `failed ${auth}`, type: auth } })}\n\n`,
            ),
        },
        {
          name: 'error line',
          streamed: true,
          reply: (auth) => events(`error: ${JSON.stringify({ content: `failed ${auth}` })}\n\n`),
        },
      ];
    case 'llama-cpp':
      return [
        {
          name: 'error event',
          streamed: true,
          reply: (auth) =>
            events(
              `data: ${JSON.stringify({ error: { code: 500, message: `failed ${auth}`, type: 'server_error' } })}\n\n`,
            ),
        },
        {
          name: 'error event, overflow',
          streamed: true,
          reply: (auth) =>
            events(
              `data: ${JSON.stringify({ error: { code: 400, message: `context ${auth}`, type: 'exceed_context_size_error', n_prompt_tokens: 9, n_ctx: 4 } })}\n\n`,
            ),
        },
        {
          name: 'error line',
          streamed: true,
          reply: (auth) => events(`error: ${JSON.stringify({ content: `failed ${auth}` })}\n\n`),
        },
        { name: 'error line not JSON', streamed: true, reply: (auth) => events(`error: ${auth}\n\n`) },
      ];
  }
}

export function echoedErrorShapes(kind: BackendKind): EchoShape[] {
  return [...common(kind), ...midStream(kind)];
}
