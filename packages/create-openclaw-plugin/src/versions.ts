// The one place the scaffolder names versions: bump OPENCLAW_RANGE and PLUGIN_API_RANGE here when the
// plugin API moves (every template and generated package.json takes them from this file).

/** The `@openclaw/plugin-sdk` (and `@openclaw/core`) releases a generated plugin works with. */
export const OPENCLAW_RANGE = '^1.0.0'

/** The plugin API range a generated plugin declares as `apiVersion`. */
export const PLUGIN_API_RANGE = '^2.0.0'

/** Tools a generated project builds and tests with (devDependencies), and its runtime dependencies. */
export const TOOL_VERSIONS = {
  typescript: '~5.9.3',
  tsup: '8.5.0',
  vitest: '^3.2.4',
  '@types/node': '^20.19.0',
  'json-schema-to-typescript': '^15.0.4',
  zod: '^4.1.0',
} as const
