// Profiles: Select Profile, Select Model, Set API Key.
export { selectModel, selectProfile, setApiKey } from './commands';
