import { errors, type CommandContext, type ConfigStore } from 'redix-server';
import { ListValue } from './list-value';

/** The list at `key` for reading: undefined when missing, null after replying WRONGTYPE. */
export function lookupListRead(c: CommandContext, key: string): ListValue | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value instanceof ListValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** Like lookupListRead, for a list about to be changed in place. */
export function lookupListWrite(c: CommandContext, key: string): ListValue | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value instanceof ListValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/**
 * After elements were removed from `list` in place: the key goes with its last element (Redis never
 * keeps an empty list), else the change is marked.
 */
export function commitListRemoval(c: CommandContext, key: string, list: ListValue): boolean {
  if (list.length === 0) {
    c.db.delete(key);
    return true;
  }
  c.db.markDirty();
  return false;
}

/** list-max-listpack-size as new lists take it (a list keeps the fill it was created with, as in Redis). */
export class ListFill {
  value: number;

  constructor(config: ConfigStore) {
    this.value = config.get<number>('list-max-listpack-size');
    config.onChange('list-max-listpack-size', (v) => {
      this.value = v as number;
    });
  }

  newList(): ListValue {
    return new ListValue(this.value);
  }
}
