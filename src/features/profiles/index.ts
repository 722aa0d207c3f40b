// Profiles: Select Profile, Select Model, Set API Key.
export { clearCookies, selectModel, selectProfile, setApiKey, useLlamaCppKind } from './commands';
