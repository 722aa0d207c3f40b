// Profiles: Select Profile, Select Model, Set API Key, and the status bar's server.
export { clearCookies, selectModel, selectProfile, setApiKey, useLlamaCppKind } from './commands';
export { serverStatus } from './serverStatus';
