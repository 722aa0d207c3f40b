// The use-case layer: the questions every surface (the editor, the panel, the CLI, prompt tests)
// asks the core, each answered in one place. No `vscode`; a surface passes a backend, a signal and
// plain data, and gets plain data back.
export * from './prompt';
export * from './target';
export * from './explain';
export * from './complete';
export * from './cut';
export * from './vars';
export * from './profile';
export { projectExplanation, type ProjectedExplanation } from '../explain/projection';
