// create-openclaw-plugin: scaffold an OpenClaw plugin project. The binary is `create-openclaw-plugin`
// (`npx create-openclaw-plugin`, `npm create openclaw-plugin`); these exports let tools drive it.
export { runCreate, USAGE } from './run-create.js'
export type { CreateIo } from './run-create.js'
export { scaffold, devPackages } from './scaffold.js'
export type { ScaffoldOptions, ScaffoldResult } from './scaffold.js'
export { KINDS, derivePluginId, npmNameProblem, isPluginId, shortName } from './validate-names.js'
export type { PluginKind } from './validate-names.js'
export { OPENCLAW_RANGE, PLUGIN_API_RANGE, TOOL_VERSIONS } from './versions.js'
export * as errors from './errors.js'
