import * as vscode from 'vscode';
import { PROMPT_LANGUAGE } from '../common/promptSource';

export const NEW_PROMPT_TEMPLATE = `---
model: luminous-base
params:
  maximum_tokens: 32
  temperature: 0
vars:
  topic: lighthouses
expected: " They guide ships safely."
---
Write one sentence about {{ topic }}.
`;

/** Opens an untitled `.prompt` document with a starter template. */
export async function newPromptFile(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({
    language: PROMPT_LANGUAGE,
    content: NEW_PROMPT_TEMPLATE,
  });
  return vscode.window.showTextDocument(document);
}
