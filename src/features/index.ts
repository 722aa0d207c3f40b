// The lazily loaded half of the extension. Everything here may import heavy modules.
export { newPromptFile } from './newPromptFile';
