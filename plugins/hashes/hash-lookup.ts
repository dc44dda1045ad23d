import { errors, type CommandContext, type ConfigStore } from 'redix-server';
import { HashValue } from './hash-value';
import { LOAD_LIMITS } from './hash-rdb-codec';

/**
 * The hash stored at `key` for reading: undefined when the key is missing, null after replying
 * WRONGTYPE (the key holds another type).
 */
export function lookupHashRead(c: CommandContext, key: string): HashValue | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value instanceof HashValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** Like lookupHashRead, for a hash about to be changed in place. */
export function lookupHashWrite(c: CommandContext, key: string): HashValue | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value instanceof HashValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/**
 * Records `changes` changes of a hash after a write: a new hash is stored (which counts as one
 * change), an existing one was changed in place.
 */
export function commitHashWrite(c: CommandContext, key: string, hash: HashValue, created: boolean, changes: number): void {
  hash.compact();
  if (created) {
    c.db.set(key, hash);
    if (changes > 1) c.db.markDirty(changes - 1);
  } else {
    c.db.markDirty(changes);
  }
}

/**
 * hash-max-listpack-entries / -value, kept current on CONFIG SET so writes read two fields; the
 * RDB codec's LOAD_LIMITS follow them too.
 */
export class ListpackLimits {
  maxEntries: number;
  maxValue: number;

  constructor(config: ConfigStore) {
    this.maxEntries = LOAD_LIMITS.maxEntries = config.get<number>('hash-max-listpack-entries');
    this.maxValue = LOAD_LIMITS.maxValue = config.get<number>('hash-max-listpack-value');
    config.onChange('hash-max-listpack-entries', (value) => {
      this.maxEntries = LOAD_LIMITS.maxEntries = value as number;
    });
    config.onChange('hash-max-listpack-value', (value) => {
      this.maxValue = LOAD_LIMITS.maxValue = value as number;
    });
  }
}
