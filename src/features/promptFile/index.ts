// `.prompt` file support: CodeLens, diagnostics, variable hover, New Prompt File.
export { activatePromptFileSupport } from './support';
export { newPromptFile } from './newPromptFile';
