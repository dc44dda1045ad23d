import { errors, type CommandContext, type ConfigStore } from 'redix-server';
import { SetValue } from './set-value';

/**
 * The set stored at `key` for reading: undefined when the key is missing, null after replying
 * WRONGTYPE (the key holds another type).
 */
export function lookupSetRead(c: CommandContext, key: string): SetValue | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value instanceof SetValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** Like lookupSetRead, for a set about to be changed in place. */
export function lookupSetWrite(c: CommandContext, key: string): SetValue | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value instanceof SetValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/**
 * Records `changes` changes of a set after a write: a new set is stored (which counts as one
 * change), an existing one was changed in place.
 */
export function commitSetWrite(c: CommandContext, key: string, set: SetValue, created: boolean, changes: number): void {
  if (created) {
    c.db.set(key, set);
    if (changes > 1) c.db.markDirty(changes - 1);
  } else {
    c.db.markDirty(changes);
  }
}

/** set-max-intset-entries, kept current on CONFIG SET so writes read one field. */
export class IntsetLimit {
  max: number;

  constructor(config: ConfigStore) {
    this.max = config.get<number>('set-max-intset-entries');
    config.onChange('set-max-intset-entries', (value) => {
      this.max = value as number;
    });
  }
}
