import { StowageError, toStowageError, type ComponentKind, type StowageErrorCode } from '@stowage/plugin-api';

/** Which code an untyped failure of a component kind gets. */
const FAILURE_CODE: Record<ComponentKind | 'exporter', StowageErrorCode> = {
  'image-builder': 'BUILD_FAILED',
  'container-registry': 'REGISTRY_FAILED',
  'artifact-store': 'ARTIFACT_STORE_FAILED',
  'code-repository': 'CODE_UNAVAILABLE',
  exporter: 'REQUIREMENTS_EXPORT_FAILED',
};

export interface PluginCallTag {
  plugin: string;
  /** `<stack>.<component key>`, or `exporter <name>`. */
  component: string;
  kind: ComponentKind | 'exporter';
}

/** The error, tagged with the plugin, component and method it came from; the plugin's own code is kept. */
export function tagPluginError(error: unknown, tag: PluginCallTag, method: string): StowageError {
  if (StowageError.isInstance(error)) {
    if (error.plugin) return error;
    return new StowageError(error.message, { ...error, code: error.code, cause: error.cause, details: error.details, plugin: tag.plugin, component: tag.component, method });
  }
  return toStowageError(error, { code: FAILURE_CODE[tag.kind], message: `${tag.component} failed in ${method}`, plugin: tag.plugin, component: tag.component, method });
}

/**
 * Wraps every method of a component a plugin created: a failure crossing the boundary is tagged
 * (plugin, component, method); `onResult` sees what each call returned (e.g. to redact tokens).
 */
export function tagPluginCalls<T extends object>(target: T, tag: PluginCallTag, onResult?: (method: string, value: unknown) => void): T {
  return wrapMethods(target, (property, method) => (...args: unknown[]) => {
    let result: unknown;
    try {
      result = method.apply(target, args);
    } catch (error) {
      throw tagPluginError(error, tag, property);
    }
    if (!(result instanceof Promise)) {
      onResult?.(property, result);
      return result;
    }
    return result.then(
      (v) => {
        onResult?.(property, v);
        return v;
      },
      (error: unknown) => {
        throw tagPluginError(error, tag, property);
      },
    );
  });
}

type Method = (...args: unknown[]) => unknown;

/**
 * A view of `target` whose methods are replaced by `wrap(name, method)`; other properties read
 * through. The proxy stands on an empty object, not on the component, so a frozen component (a
 * plugin may return `Object.freeze({...})`) can be wrapped; `instanceof` still sees its class.
 */
export function wrapMethods<T extends object>(target: T, wrap: (property: string, method: Method) => Method): T {
  return new Proxy({} as T, {
    get(_view, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return wrap(property, value as Method);
    },
    has: (_view, property) => Reflect.has(target, property),
    getPrototypeOf: () => Object.getPrototypeOf(target),
  });
}
