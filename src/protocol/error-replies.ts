/** Redis 7.0's error texts, byte for byte (without the leading "-" and trailing CRLF). */
export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_NOAUTH = 'NOAUTH Authentication required.';
export const ERR_WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const ERR_AUTH_NOT_CONFIGURED = 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
export const ERR_READONLY = "READONLY You can't write against a read only replica.";
export const ERR_LOADING = 'LOADING Redis is loading the dataset in memory';
export const ERR_DB_INDEX = 'ERR DB index is out of range';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_INVALID_CURSOR = 'ERR invalid cursor';
export const ERR_MAX_CLIENTS = 'ERR max number of clients reached';
export const ERR_MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

export function errWrongArity(fullName: string): string {
  return `ERR wrong number of arguments for '${fullName}' command`;
}

/** Redis quotes at most 128 bytes of the name and of each argument it echoes back. */
export function errUnknownCommand(argv: readonly Buffer[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${sanitize(argv[i], 128 - args.length)}' `;
  }
  return `ERR unknown command '${sanitize(argv[0], 128)}', with args beginning with: ${args}`;
}

export function errUnknownSubcommand(sub: Buffer, container: string): string {
  return `ERR unknown subcommand '${sanitize(sub, 128)}'. Try ${container.toUpperCase()} HELP.`;
}

/**
 * Echoed user text as Redis's "%.128s" prints it: a C string, so only up to its first NUL byte,
 * truncated, with newlines replaced so the error stays one line.
 */
function sanitize(b: Buffer, max: number): string {
  const nul = b.indexOf(0);
  return b.latin1Slice(0, Math.min(nul < 0 ? b.length : nul, max)).replace(/[\r\n]/g, ' ');
}

/** SHUTDOWN refused because the final save failed (the server keeps running). */
export const ERR_SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';
