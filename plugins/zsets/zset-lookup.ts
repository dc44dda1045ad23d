import { errors, type CommandContext, type ConfigStore } from 'redix-server';
import { ZSetValue } from './zset-value';
import { LOAD_LIMITS } from './zset-rdb-codec';

/** The sorted set at `key` for reading: undefined when missing, null after replying WRONGTYPE. */
export function lookupZsetRead(c: CommandContext, key: string): ZSetValue | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value instanceof ZSetValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** Like lookupZsetRead, for a sorted set about to be changed in place. */
export function lookupZsetWrite(c: CommandContext, key: string): ZSetValue | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value instanceof ZSetValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/**
 * Records a write of a sorted set: a new one is stored, an emptied one deleted (Redis never keeps
 * an empty key), an existing one marked dirty by `changes`.
 */
export function commitZsetWrite(c: CommandContext, key: string, zset: ZSetValue, created: boolean, changes: number): void {
  if (changes === 0) return;
  if (zset.size === 0) {
    if (!created) c.db.delete(key);
    return;
  }
  if (created) {
    c.db.set(key, zset);
    if (changes > 1) c.db.markDirty(changes - 1);
  } else {
    c.db.markDirty(changes);
  }
}

/** zset-max-listpack-entries / -value, kept current on CONFIG SET. */
export class ZsetLimits {
  maxEntries: number;
  maxValue: number;

  constructor(config: ConfigStore) {
    this.maxEntries = config.get<number>('zset-max-listpack-entries');
    this.maxValue = config.get<number>('zset-max-listpack-value');
    LOAD_LIMITS.maxEntries = this.maxEntries;
    LOAD_LIMITS.maxValue = this.maxValue;
    config.onChange('zset-max-listpack-entries', (value) => {
      this.maxEntries = LOAD_LIMITS.maxEntries = value as number;
    });
    config.onChange('zset-max-listpack-value', (value) => {
      this.maxValue = LOAD_LIMITS.maxValue = value as number;
    });
  }
}
