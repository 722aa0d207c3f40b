// Evaluate: how likely the model finds an expected completion, with a details view.
export { evaluate } from './evaluate';
