import { errors, type CommandContext } from 'redix-server';

/**
 * The bytes of a stored string, in a Buffer of their own at offset 0 when long (so word views
 * are aligned); short ones may share Node's pool.
 */
export function stringBytes(value: string): Buffer {
  if (value.length < 64) return Buffer.from(value, 'latin1');
  const buf = Buffer.allocUnsafeSlow(value.length);
  buf.latin1Write(value, 0, value.length);
  return buf;
}

/**
 * The string at `key` for reading: undefined when missing, null after replying WRONGTYPE.
 * Strings are latin1 JS strings (one byte a character); other types are objects.
 */
export function lookupStringRead(c: CommandContext, key: string): string | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || typeof value === 'string') return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** Like lookupStringRead, before a write. */
export function lookupStringWrite(c: CommandContext, key: string): string | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || typeof value === 'string') return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/**
 * `value` (or "" for a missing key) as a Buffer of at least `length` bytes, zero padded, as
 * Redis grows a string for SETBIT and BITFIELD.
 */
export function bytesPaddedTo(value: string | undefined, length: number): Buffer {
  const current = value === undefined ? 0 : value.length;
  const buf = Buffer.alloc(Math.max(current, length));
  if (current > 0) buf.latin1Write(value as string, 0, current);
  return buf;
}
