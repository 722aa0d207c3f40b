// What the test server's model produces, asked directly over HTTP with the core backend (not through
// the extension), to compare with what the extension put into the editor.
import type { Completion, EvaluateResult, Prompt } from '../../../../src/core/backend';
import { createBackend } from '../../../../src/core/backends/index';

export async function completionOf(
  url: string,
  prompt: Prompt,
  maxTokens: number,
  logProbs = 5,
): Promise<Completion> {
  const backend = await createBackend('llama-cpp', { url });
  try {
    const result = await backend.complete({ prompt, maxTokens, temperature: 0, logProbs });
    const first = result.completions[0];
    if (!first) throw new Error('the test server returned no completion');
    return first;
  } finally {
    await backend.close();
  }
}

export async function evaluationOf(
  kind: 'aleph-alpha' | 'llama-cpp',
  url: string,
  token: string | undefined,
  prompt: Prompt,
  expected: string,
  model?: string,
): Promise<EvaluateResult> {
  const backend = await createBackend(kind, {
    url,
    ...(token !== undefined && { token }),
    ...(model !== undefined && { model }),
  });
  try {
    return await backend.evaluate({ prompt, expected, ...(model !== undefined && { model }) });
  } finally {
    await backend.close();
  }
}
