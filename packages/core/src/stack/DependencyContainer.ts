import 'reflect-metadata';
import { container as globalContainer, Lifecycle, type DependencyContainer as TsyringeContainer, type InjectionToken } from 'tsyringe';

type Constructor<T> = new (...args: any[]) => T;

/**
 * A small facade over tsyringe (as credo-ts's DependencyManager): the rest of Stowage never
 * touches tsyringe directly. Nothing is registered in tsyringe's global container; each root is
 * its own child of it, and each stack gets a child of the root.
 */
export class DependencyContainer {
  private constructor(private readonly inner: TsyringeContainer) {}

  static createRoot(): DependencyContainer {
    return new DependencyContainer(globalContainer.createChildContainer());
  }

  createChild(): DependencyContainer {
    return new DependencyContainer(this.inner.createChildContainer());
  }

  registerValue<T>(token: InjectionToken<T>, value: T): this {
    this.inner.register(token, { useValue: value });
    return this;
  }

  /** One instance per container, built on first resolve with its `@inject` dependencies. */
  registerSingleton<T>(token: InjectionToken<T>, implementation: Constructor<T>): this {
    this.inner.register(token, { useClass: implementation }, { lifecycle: Lifecycle.ContainerScoped });
    return this;
  }

  isRegistered<T>(token: InjectionToken<T>): boolean {
    return this.inner.isRegistered(token, true);
  }

  resolve<T>(token: InjectionToken<T>): T {
    return this.inner.resolve(token);
  }
}
