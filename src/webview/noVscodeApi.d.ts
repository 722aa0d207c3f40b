// What `import 'vscode'` resolves to in the webview's project (see tsconfig.json `paths`): a script,
// not a module, so the import fails type-check. The webview talks to the host by messages only.
declare const webviewHasNoVscodeApi: never;
