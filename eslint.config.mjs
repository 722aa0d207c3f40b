import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The core powers the CLI too: it must never depend on the editor, nor on anything above it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core never imports vscode.' }],
          patterns: [
            {
              regex:
                '^(\\.\\./)+(features|webview|cli)(/|$)|^(\\.\\./)+(ctx|config|commands|providers|extension|errorReporting|statusBar|ids)$',
              message:
                'src/core is the bottom layer: it imports nothing from the editor, the webview or the CLI.',
            },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The webview runs in a browser sandbox: no Node, no vscode API (it talks to the host by messages).
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The webview cannot use the vscode API: post a message to the host.' },
          ],
          patterns: [
            { regex: '^node:', message: 'The webview runs in a browser: no Node modules.' },
            {
              regex:
                '^(fs|path|os|child_process|http|https|net|tls|crypto|stream|events|util|url|worker_threads)(/|$)',
              message: 'The webview runs in a browser: no Node modules.',
            },
            {
              regex: '^(\\.\\./)+(features|cli)(/|$)|^(\\.\\./)+(ctx|config|commands|providers|extension)$',
              message: 'The webview imports only its own files, the protocol and pure core modules.',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI runs in plain Node: the core only, never the editor.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The CLI runs without VS Code.' }],
          patterns: [
            {
              regex:
                '^(\\.\\./)+(features|webview)(/|$)|^(\\.\\./)+(ctx|config|commands|providers|extension|errorReporting|statusBar)$',
              message: 'The CLI imports only the core.',
            },
          ],
        },
      ],
    },
  },
  {
    // A feature reaches another feature only through its index.ts; common/ is for every feature.
    files: ['src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!common/|\\.\\.)[^/]+/(?!index$)',
              message: 'Import another feature through its index.ts, never its internals.',
            },
            {
              regex: '^(\\.\\./)+cli(/|$)',
              message: 'The editor does not import the CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs', 'esbuild.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
