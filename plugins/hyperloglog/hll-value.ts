import { errors, type CommandContext, type ConfigStore } from 'redix-server';
import { ERR_CORRUPTED, ERR_NOT_HLL, HLL_DENSE, HLL_HDR_SIZE, HLL_REGISTERS, denseGet, isHllString } from './hll-layout';
import { HllBuffer, forEachSparseRun } from './hll-sparse';

/**
 * The HLL string at `key` read with `lookup`: undefined when missing, null after replying
 * WRONGTYPE (another type, or a string that is not an HLL, with Redis's own message).
 */
export function hllStringOrReply(c: CommandContext, value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    c.reply.error(errors.ERR_WRONGTYPE);
    return null;
  }
  if (!isHllString(value)) {
    c.reply.error(ERR_NOT_HLL);
    return null;
  }
  return value;
}

/** Replies Redis's corrupted-HLL error. */
export function replyCorrupted(c: CommandContext): void {
  c.reply.error(ERR_CORRUPTED);
}

/**
 * hllMerge: raises max[i] to each register of the HLL. False for a sparse HLL whose runs do not
 * cover exactly 16384 registers (or run past them).
 */
export function mergeInto(max: Uint8Array, value: string): boolean {
  const h = HllBuffer.of(value);
  if (h.encoding === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(h.buf, HLL_HDR_SIZE, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  return forEachSparseRun(h.buf, h.len, (v, first, run) => {
    if (v === 0) return;
    for (let i = first; i < first + run; i++) if (v > max[i]) max[i] = v;
  }) === HLL_REGISTERS;
}

/** hll-sparse-max-bytes, kept current on CONFIG SET. */
export class HllLimits {
  sparseMaxBytes: number;

  constructor(config: ConfigStore) {
    this.sparseMaxBytes = config.get<number>('hll-sparse-max-bytes');
    config.onChange('hll-sparse-max-bytes', (value) => {
      this.sparseMaxBytes = value as number;
    });
  }
}
