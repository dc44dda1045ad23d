/**
 * Kernel errors are recognised by a brand, not by their prototype: a plugin that resolves its own
 * copy of this package (another node_modules, a bundler) throws errors of another class object, and
 * `instanceof` against ours would miss them. The brand is a `Symbol.for` key, so every copy of the
 * package agrees on it, as injection tokens and decorator metadata already do.
 */
const BRAND = Symbol.for('redix.error-brand');

/** Stamps `error` with the brand `name` (called by the constructors of branded classes). */
export function brandError(error: Error, name: string): void {
  Object.defineProperty(error, BRAND, { value: name, enumerable: false });
}

/** True if `value` is an error branded `name` by any copy of this package. */
export function hasErrorBrand(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === name;
}

/**
 * A `Symbol.hasInstance` for a branded class: `e instanceof RdbFormatError` is true for an
 * RdbFormatError of any package copy. Subclasses keep the ordinary prototype check.
 */
export function brandedHasInstance(base: abstract new (...args: never[]) => Error, name: string) {
  return function hasInstance(this: unknown, value: unknown): boolean {
    if (this === base) return hasErrorBrand(value, name);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  };
}
