// The only file that imports tsyringe. Everything else talks to DependencyManager.
import 'reflect-metadata'
import {
  container as globalContainer,
  instanceCachingFactory,
  instancePerContainerCachingFactory,
  type DependencyContainer,
} from 'tsyringe'
import { CORE_ERR_REGISTRY_DUPLICATE, CORE_ERR_SERVICE_DISPOSED, CORE_ERR_SERVICE_NOT_REGISTERED } from '../errors/codes.js'
import { tokenProvider, type Token } from './token.js'

/** What a factory receives to resolve the services it depends on. */
export interface ServiceResolver {
  resolve<T>(token: Token<T>): T
  isRegistered(token: Token<unknown>): boolean
}

export type ServiceFactory<T> = (services: ServiceResolver) => T

/** The services API a plugin sees as `api.services`: a child container of the gateway's. */
export interface Services extends ServiceResolver {
  /** One instance for this container and its children, made on first resolve. */
  registerSingleton<T>(token: Token<T>, factory: ServiceFactory<T>): void
  /** One instance per container that resolves it (this one or a child). */
  registerScoped<T>(token: Token<T>, factory: ServiceFactory<T>): void
  /** A new instance on every resolve. */
  registerFactory<T>(token: Token<T>, factory: ServiceFactory<T>): void
  registerInstance<T>(token: Token<T>, instance: T): void
  /** Make a token registered here resolvable by every other plugin. */
  expose<T>(token: Token<T>): void
}

interface Disposable {
  dispose(): unknown
}

function isDisposable(value: unknown): value is Disposable {
  return typeof value === 'object' && value !== null && typeof (value as Disposable).dispose === 'function'
}

const managers = new WeakMap<DependencyContainer, DependencyManager>()

/**
 * A scope of services over a tsyringe child container. The gateway owns a root scope (a child of
 * tsyringe's global container, which is never written to); each plugin gets a child of the root.
 * Instances made by singleton and scoped factories that have a `dispose()` method are disposed, newest
 * first, when their scope is.
 */
export class DependencyManager implements Services {
  readonly #container: DependencyContainer
  readonly #root: DependencyManager
  readonly #children: DependencyManager[] = []
  readonly #disposables: Disposable[] = []
  readonly #exposedBy: Map<symbol, string>
  #disposed = false

  private constructor(container: DependencyContainer, readonly scope: string, root?: DependencyManager) {
    this.#container = container
    this.#root = root ?? this
    this.#exposedBy = root ? root.#exposedBy : new Map()
    managers.set(container, this)
  }

  /** A fresh root scope for one gateway. */
  static createRoot(scope = 'gateway'): DependencyManager {
    return new DependencyManager(globalContainer.createChildContainer(), scope)
  }

  /** A child scope: it resolves its own registrations first, then its parent's. */
  createChild(scope: string): DependencyManager {
    this.#assertLive()
    const child = new DependencyManager(this.#container.createChildContainer(), scope, this.#root)
    this.#children.push(child)
    return child
  }

  registerSingleton<T>(token: Token<T>, factory: ServiceFactory<T>): void {
    this.#assertLive()
    this.#container.register(token, { useFactory: instanceCachingFactory((c) => this.#make(c, factory, this)) })
  }

  registerScoped<T>(token: Token<T>, factory: ServiceFactory<T>): void {
    this.#assertLive()
    this.#container.register(token, { useFactory: instancePerContainerCachingFactory((c) => this.#make(c, factory, managers.get(c) ?? this)) })
  }

  registerFactory<T>(token: Token<T>, factory: ServiceFactory<T>): void {
    this.#assertLive()
    this.#container.register(token, { useFactory: (c) => factory(resolverFor(c)) })
  }

  registerInstance<T>(token: Token<T>, instance: T): void {
    this.#assertLive()
    this.#container.registerInstance(token, instance)
  }

  expose<T>(token: Token<T>): void {
    this.#assertLive()
    if (this === this.#root) return
    const owner = this.#exposedBy.get(token)
    if (owner !== undefined) throw new CORE_ERR_REGISTRY_DUPLICATE('Service', String(token.description), this.scope, owner)
    this.#exposedBy.set(token, this.scope)
    this.#root.#container.register(token, { useFactory: () => this.resolve(token) })
  }

  resolve<T>(token: Token<T>): T {
    this.#assertLive()
    if (!this.#container.isRegistered(token, true)) {
      const provider = tokenProvider(token)
      throw new CORE_ERR_SERVICE_NOT_REGISTERED(
        String(token.description),
        provider ? `Install and enable the plugin '${provider}', which provides it.` : `Asked for by '${this.scope}'; register it or expose it from the plugin that owns it.`,
      )
    }
    return this.#container.resolve(token)
  }

  isRegistered(token: Token<unknown>): boolean {
    return !this.#disposed && this.#container.isRegistered(token, true)
  }

  /** Dispose children first, then this scope's instances, newest first. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return
    for (const child of [...this.#children].reverse()) await child.dispose()
    this.#disposed = true
    const errors: unknown[] = []
    for (const instance of this.#disposables.reverse()) {
      try {
        await instance.dispose()
      } catch (err) {
        errors.push(err)
      }
    }
    this.#disposables.length = 0
    await this.#container.dispose()
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} services of '${this.scope}' failed to dispose`)
  }

  get disposed(): boolean {
    return this.#disposed
  }

  #make<T>(c: DependencyContainer, factory: ServiceFactory<T>, owner: DependencyManager): T {
    const instance = factory(resolverFor(c))
    if (isDisposable(instance)) owner.#disposables.push(instance)
    return instance
  }

  #assertLive(): void {
    if (this.#disposed) throw new CORE_ERR_SERVICE_DISPOSED(this.scope)
  }
}

function resolverFor(c: DependencyContainer): ServiceResolver {
  const manager = managers.get(c)
  if (manager) return manager
  return { resolve: (token) => c.resolve(token), isRegistered: (token) => c.isRegistered(token, true) }
}
