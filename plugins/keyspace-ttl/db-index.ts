import { errors, parseInt64, type CommandContext, type ServerContext } from 'redix-server';

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const ERR_INT_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';

/** Returned by the validators below after they replied with an error. */
export const INVALID_DB = -1;

/**
 * A database index argument (MOVE, COPY ... DB): an int as Redis's getIntFromObjectOrReply reads it,
 * then a database that exists. Replies with the error and returns INVALID_DB otherwise.
 */
export function dbIndexOrReply(c: CommandContext, server: ServerContext, arg: Buffer): number {
  const n = parseInt64(arg);
  if (n === null) {
    c.reply.error(errors.ERR_NOT_INTEGER);
    return INVALID_DB;
  }
  if (n < INT_MIN || n > INT_MAX) {
    c.reply.error(ERR_INT_RANGE);
    return INVALID_DB;
  }
  const index = Number(n);
  if (index < 0 || index >= server.keyspace.databases.length) {
    c.reply.error(errors.ERR_DB_INDEX);
    return INVALID_DB;
  }
  return index;
}

/**
 * SWAPDB's index arguments: any parse or int-range failure gets the caller's own message
 * ("invalid first DB index"); the range of databases is checked later, once both are read.
 */
export function swapIndexOrReply(c: CommandContext, arg: Buffer, message: string): number | null {
  const n = parseInt64(arg);
  if (n === null || n < INT_MIN || n > INT_MAX) {
    c.reply.error(message);
    return null;
  }
  return Number(n);
}
