import { constants } from 'node:buffer';
import { parseInt64, parseInteger, type CommandContext, type ConfigStore } from 'redix-server';

export const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
const ERR_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';

/**
 * proto-max-bulk-len, which bounds the bit offsets SETBIT, GETBIT and BITFIELD accept, kept in a
 * field so the hot path reads no config (one per command module, so each server follows its own
 * CONFIG SET).
 */
export class BitLimits {
  maxBulkLen: number;

  constructor(config: ConfigStore) {
    this.maxBulkLen = config.get<number>('proto-max-bulk-len');
    config.onChange('proto-max-bulk-len', (value) => {
      this.maxBulkLen = value as number;
    });
  }

  /**
   * A bit offset as Redis reads it: a non-negative int64 whose byte is below proto-max-bulk-len
   * (the master's stream and the AOF are exempt). With `bits` > 0 the "#N" form means N * bits.
   * Returns -1 after replying the error.
   */
  bitOffsetOrReply(c: CommandContext, arg: Buffer, bits: number): number {
    let offset: number;
    if (bits > 0 && arg.length > 0 && arg[0] === 0x23) {
      const n = parseInt64(arg.subarray(1));
      // Why BigInt.asIntN: Redis multiplies in int64, so a huge #N wraps (often to a negative).
      offset = n === null ? -1 : Number(BigInt.asIntN(64, n * BigInt(bits)));
    } else {
      offset = parseInteger(arg) ?? -1;
    }
    if (offset < 0 || (Math.floor(offset / 8) >= this.maxBulkLen && !c.isMasterLink && !c.isInternal)) {
      c.reply.error(ERR_BIT_OFFSET);
      return -1;
    }
    return offset;
  }

  /**
   * False, after replying, when a string of `length` bytes cannot be held: V8 caps one string a
   * little under 512 MB, so the largest offsets Redis allows are refused here.
   */
  lengthOkOrReply(c: CommandContext, length: number): boolean {
    if (length > constants.MAX_STRING_LENGTH) {
      c.reply.error(ERR_TOO_LONG);
      return false;
    }
    return true;
  }
}
