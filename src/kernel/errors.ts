/** An error caused by the user's input (config, flags, plugin list): shown as one line, no stack. */
export class UserError extends Error {
  override name = 'UserError';
}
