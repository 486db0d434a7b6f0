import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'templates/**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['@openclaw/core/*', '@openclaw/plugin-sdk/internal/*'], message: 'Deep imports are not part of any public API.' }] }],
    },
  },
  {
    // Plugins import the SDK only: never the core, never another plugin.
    files: ['plugins/*/src/**/*.ts'],
    ignores: ['plugins/*/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@openclaw/core', message: 'Plugins import @openclaw/plugin-sdk, never the core.' }], patterns: [{ group: ['@openclaw/plugin-*', '!@openclaw/plugin-sdk'], message: 'Plugins never import other plugins; share services instead.' }] }],
    },
  },
  {
    // Only the DI facade imports tsyringe.
    files: ['packages/**/*.ts'],
    ignores: ['packages/core/src/di/dependency-manager.ts', '**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'tsyringe', message: 'Use DependencyManager (packages/core/src/di/dependency-manager.ts).' }] }] },
  },
)
