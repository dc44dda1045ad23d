import type { CommandContext } from '../command-context';
import type { ServerContext } from '../../kernel/server-context';
import type { Client } from '../../network/client';

/**
 * Redis's allowProtectedAction for DEBUG and MODULE: `option` (enable-debug-command,
 * enable-module-command) is yes, or local and the client is on a loopback address.
 */
export function protectedActionAllowed(server: ServerContext, c: CommandContext, option: string): boolean {
  const setting = server.config.get<string>(option);
  if (setting === 'yes' || (c as Client).isInternal) return true;
  if (setting !== 'local') return false;
  const address = (c as Client).address;
  return address.startsWith('127.') || address.startsWith('::1:') || address.startsWith('[::1]');
}

/** The refusal, as Redis words it: `what` is DEBUG or MODULE. */
export function protectedActionError(what: 'DEBUG' | 'MODULE'): string {
  return `ERR ${what} command not allowed. If the enable-${what.toLowerCase()}-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`;
}
