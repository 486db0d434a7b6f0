/** Allow and deny lists of tool-name globs (`*` matches any run of characters). Deny wins. */
export interface ToolPolicyConfig {
  readonly allow?: readonly string[] | undefined
  readonly deny?: readonly string[] | undefined
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
  return new RegExp(`^${escaped}$`, 'i')
}

export class ToolPolicy {
  readonly #allow: RegExp[] | undefined
  readonly #deny: RegExp[]

  constructor(config: ToolPolicyConfig = {}) {
    this.#allow = config.allow ? config.allow.map(globToRegExp) : undefined
    this.#deny = (config.deny ?? []).map(globToRegExp)
  }

  /** `undefined` when allowed, else the reason it is not. */
  check(name: string): string | undefined {
    if (this.#deny.some((re) => re.test(name))) return 'denied by the tool policy (tools.deny)'
    if (this.#allow && !this.#allow.some((re) => re.test(name))) return 'not in the tool policy allow list (tools.allow)'
    return undefined
  }
}
