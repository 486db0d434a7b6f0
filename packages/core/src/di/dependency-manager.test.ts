import 'reflect-metadata'
import { container as globalContainer } from 'tsyringe'
import { describe, expect, it } from 'vitest'
import { isCodedError } from '../errors/create-error.js'
import { DependencyManager } from './dependency-manager.js'
import { createToken } from './token.js'

const Counter = createToken<{ n: number }>('Counter')
const Greeting = createToken<string>('Greeting')

describe('DependencyManager', () => {
  it('never writes to the global container', () => {
    const root = DependencyManager.createRoot()
    root.registerInstance(Greeting, 'hi')
    expect(globalContainer.isRegistered(Greeting, true)).toBe(false)
  })

  it('keeps a plugin registration private to its scope until exposed', () => {
    const root = DependencyManager.createRoot()
    const a = root.createChild('plugin-a')
    const b = root.createChild('plugin-b')
    a.registerInstance(Greeting, 'from a')
    expect(a.resolve(Greeting)).toBe('from a')
    expect(b.isRegistered(Greeting)).toBe(false)
    expect(() => b.resolve(Greeting)).toThrowError(/Greeting/)
    a.expose(Greeting)
    expect(b.resolve(Greeting)).toBe('from a')
  })

  it('refuses a second plugin exposing the same token, naming both', () => {
    const root = DependencyManager.createRoot()
    const a = root.createChild('plugin-a')
    const b = root.createChild('plugin-b')
    a.registerInstance(Greeting, 'a')
    b.registerInstance(Greeting, 'b')
    a.expose(Greeting)
    const err = (() => {
      try {
        b.expose(Greeting)
      } catch (e) {
        return e
      }
    })()
    expect(isCodedError(err, 'CORE_ERR_REGISTRY_DUPLICATE')).toBe(true)
    expect((err as Error).message).toMatch(/plugin-b.*plugin-a/)
  })

  it('makes a singleton once, a scoped instance per container, a factory instance per resolve', () => {
    const root = DependencyManager.createRoot()
    let made = 0
    root.registerSingleton(Counter, () => ({ n: ++made }))
    const child = root.createChild('c')
    expect(child.resolve(Counter)).toBe(root.resolve(Counter))

    const Scoped = createToken<{ n: number }>('Scoped')
    root.registerScoped(Scoped, () => ({ n: ++made }))
    const c1 = root.createChild('c1')
    const c2 = root.createChild('c2')
    expect(c1.resolve(Scoped)).toBe(c1.resolve(Scoped))
    expect(c1.resolve(Scoped)).not.toBe(c2.resolve(Scoped))

    const Fresh = createToken<{ n: number }>('Fresh')
    root.registerFactory(Fresh, () => ({ n: ++made }))
    expect(root.resolve(Fresh)).not.toBe(root.resolve(Fresh))
  })

  it('passes factories a resolver for their dependencies', () => {
    const root = DependencyManager.createRoot()
    root.registerInstance(Greeting, 'hello')
    const Sentence = createToken<string>('Sentence')
    root.registerSingleton(Sentence, (s) => `${s.resolve(Greeting)}, world`)
    expect(root.createChild('x').resolve(Sentence)).toBe('hello, world')
  })

  it('disposes children first, newest instance first, and only once', async () => {
    const root = DependencyManager.createRoot()
    const order: string[] = []
    const A = createToken<{ dispose(): void }>('A')
    const B = createToken<{ dispose(): void }>('B')
    root.registerSingleton(A, () => ({ dispose: () => order.push('root:A') }))
    const child = root.createChild('plugin')
    child.registerSingleton(B, () => ({ dispose: () => order.push('plugin:B') }))
    root.resolve(A)
    child.resolve(B)
    await root.dispose()
    await root.dispose()
    expect(order).toEqual(['plugin:B', 'root:A'])
    expect(() => child.resolve(B)).toThrowError(/disposed/)
  })

  it('names the plugin that provides a missing service', () => {
    const Memory = createToken<unknown>('MemoryStore', { providedBy: 'tool:memory' })
    const root = DependencyManager.createRoot()
    expect(() => root.resolve(Memory)).toThrowError(/Install and enable the plugin 'tool:memory'/)
  })
})

describe('shared tokens', () => {
  it('are the same symbol wherever they are created, so package copies agree', () => {
    const a = createToken<string>('acme:Thing', { shared: true })
    const b = createToken<string>('acme:Thing', { shared: true })
    expect(a).toBe(b)
    expect(createToken<string>('acme:Thing')).not.toBe(a)
    const root = DependencyManager.createRoot()
    root.registerInstance(a, 'one')
    expect(root.resolve(b)).toBe('one')
  })
})
