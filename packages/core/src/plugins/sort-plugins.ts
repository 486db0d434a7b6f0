import { CORE_ERR_PLUGIN_DEPENDENCY_CYCLE } from '../errors/codes.js'

/**
 * Order plugins so that each comes after everything it depends on. Ties keep the input order.
 * Every dependency must be in `nodes` (check that first); a cycle is a coded error naming it.
 */
export function sortPlugins<T extends { readonly id: string; readonly dependsOn: readonly string[] }>(nodes: readonly T[]): T[] {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const state = new Map<string, 'visiting' | 'done'>()
  const order: T[] = []
  const stack: string[] = []
  const visit = (node: T) => {
    const seen = state.get(node.id)
    if (seen === 'done') return
    if (seen === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(node.id)), node.id]
      throw new CORE_ERR_PLUGIN_DEPENDENCY_CYCLE(cycle.join(' -> '))
    }
    state.set(node.id, 'visiting')
    stack.push(node.id)
    for (const dep of node.dependsOn) {
      const target = byId.get(dep)
      if (target) visit(target)
    }
    stack.pop()
    state.set(node.id, 'done')
    order.push(node)
  }
  nodes.forEach(visit)
  return order
}
