import { errors, type CommandContext, type ConfigStore } from 'redix-server';
import { ERR_CORRUPTED, ERR_NOT_HLL, HLL_DENSE, HLL_HDR_SIZE, HLL_REGISTERS, isHllString } from './hll-layout';
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
  if (value.charCodeAt(4) === HLL_DENSE) {
    // Four 6-bit registers in each 3 bytes.
    const buf = Buffer.from(value, 'latin1');
    for (let p = HLL_HDR_SIZE, i = 0; i < HLL_REGISTERS; p += 3, i += 4) {
      const b0 = buf[p];
      const b1 = buf[p + 1];
      const b2 = buf[p + 2];
      const r0 = b0 & 63;
      const r1 = ((b0 >> 6) | (b1 << 2)) & 63;
      const r2 = ((b1 >> 4) | (b2 << 4)) & 63;
      const r3 = b2 >> 2;
      if (r0 > max[i]) max[i] = r0;
      if (r1 > max[i + 1]) max[i + 1] = r1;
      if (r2 > max[i + 2]) max[i + 2] = r2;
      if (r3 > max[i + 3]) max[i + 3] = r3;
    }
    return true;
  }
  const h = HllBuffer.of(value);
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
