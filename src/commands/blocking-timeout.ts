import type { CommandContext } from './command-context';
import { parseDouble, parseInteger } from './arguments';

const TWO_POW_63 = 2 ** 63;

/**
 * A blocking command's timeout argument as Redis reads it (getTimeoutFromObjectOrReply): seconds
 * as a double (BLPOP ... 0.5) rounded up to whole milliseconds, or milliseconds as an integer
 * (XREAD BLOCK). Returns the absolute deadline in unix ms, 0 for "forever", or null after
 * replying the error.
 */
export function parseTimeoutOrReply(c: CommandContext, arg: Buffer, unit: 'seconds' | 'milliseconds'): number | null {
  let ms: number;
  if (unit === 'seconds') {
    const seconds = parseDouble(arg);
    if (seconds === null) {
      c.reply.error('ERR timeout is not a float or out of range');
      return null;
    }
    ms = Math.ceil(seconds * 1000);
    // Redis converts to a long long: on x86-64 anything out of range (inf too) becomes LLONG_MIN.
    if (!Number.isFinite(ms) || ms >= TWO_POW_63 || ms < -TWO_POW_63) ms = -TWO_POW_63;
  } else {
    const value = parseInteger(arg);
    if (value === null) {
      c.reply.error('ERR timeout is not an integer or out of range');
      return null;
    }
    ms = value;
  }
  if (ms < 0) {
    c.reply.error('ERR timeout is negative');
    return null;
  }
  return ms === 0 ? 0 : Date.now() + ms;
}
