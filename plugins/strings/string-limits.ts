import { constants } from 'node:buffer';
import type { CommandContext, ConfigStore } from 'redix-server';

/**
 * proto-max-bulk-len, the largest string APPEND and SETRANGE may build (and LCS's working-memory
 * cap), kept in a field so the hot path reads no config. One per command module instance, so
 * each server follows its own CONFIG SET.
 */
export class StringLimits {
  maxBulkLen: number;

  constructor(config: ConfigStore) {
    this.maxBulkLen = config.get<number>('proto-max-bulk-len');
    config.onChange('proto-max-bulk-len', (value) => {
      this.maxBulkLen = value as number;
    });
  }

  /**
   * False, after replying Redis's error, when a string of `length` bytes would be too long. The
   * master's stream is exempt, as in Redis. A JS string also cannot exceed V8's limit (a little
   * under 512 MB), which gets the same error.
   */
  lengthOkOrReply(c: CommandContext, length: number): boolean {
    if ((length > this.maxBulkLen && !c.isMasterLink && !c.isInternal) || length > constants.MAX_STRING_LENGTH) {
      c.reply.error('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
      return false;
    }
    return true;
  }
}
