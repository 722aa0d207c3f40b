import type { PromptState } from './protocol';

export const NO_PROMPT_STATE: PromptState = {
  hasDocument: false,
  uri: '',
  fileName: '',
  isPromptFile: false,
  version: 0,
  params: [],
  knownParams: [],
  vars: [],
  problems: [],
};
