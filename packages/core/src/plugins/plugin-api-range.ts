import semver from 'semver'
import { PLUGIN_API_VERSION } from './plugin-definition.js'

/** Whether this core's plugin API satisfies a plugin's `apiVersion` range. */
export function supportsPluginApi(range: string): boolean {
  return semver.validRange(range) !== null && semver.satisfies(PLUGIN_API_VERSION, range, { includePrerelease: true })
}
