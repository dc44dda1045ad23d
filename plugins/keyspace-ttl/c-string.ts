/**
 * An argument as Redis echoes it through a "%s" format (error messages): a C string, so only up
 * to its first NUL byte.
 */
export function cString(arg: Buffer): string {
  const nul = arg.indexOf(0);
  return arg.latin1Slice(0, nul < 0 ? arg.length : nul);
}
