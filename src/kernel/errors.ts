import { brandError, brandedHasInstance, hasErrorBrand } from './error-brand';

/**
 * An error caused by the user's input (config, flags, plugin list): shown as one line, no stack.
 * Recognised by brand (`instanceof` works across copies of the package; so does `isUserError`).
 */
export class UserError extends Error {
  override name = 'UserError';

  constructor(message: string) {
    super(message);
    brandError(this, 'UserError');
  }

  static override [Symbol.hasInstance] = brandedHasInstance(UserError, 'UserError');
}

/** True for a UserError thrown by any copy of this package. */
export function isUserError(value: unknown): value is UserError {
  return hasErrorBrand(value, 'UserError');
}
