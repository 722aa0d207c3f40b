// Tokens: Show/Hide Tokens, and the token count in the status bar and above `.prompt` files.
export { hideTokens, showTokens } from './showTokens';
export { noteCommandUsed, tokenCounter, type TokenCountState } from './tokenCount';
