import { RDB_TYPE, type RdbReader, type RdbWriter } from 'redix-server';
import { decodeListpack, decodeZiplist, decodeZipmap, encodeListpack } from 'redix-server/persistence';
import { HashValue } from './hash-value';

/**
 * The listpack limits writes and loads use. writeRdb gets no config, so the plugin keeps the
 * server's current limits here (ListpackLimits updates it); with two servers in one process the
 * last one set wins.
 */
export const HASH_RDB_LIMITS = { maxEntries: 128, maxValue: 64 };

/**
 * A hash's RDB payload, as Redis 7.0 writes it: a listpack-encoded hash as RDB_TYPE_HASH_LISTPACK
 * (field, value, ... in the hash's order, which is the listpack's), a hashtable one as
 * RDB_TYPE_HASH (a length, then field and value strings). Read in every encoding Redis has used:
 * those, zipmap (before 2.6) and ziplist (before 7.0).
 */
export function writeHashRdb(value: HashValue, out: RdbWriter): number {
  if (value.isListpack(HASH_RDB_LIMITS.maxEntries, HASH_RDB_LIMITS.maxValue)) {
    const entries: string[] = [];
    value.fields.forEach((fieldValue, field) => entries.push(field, fieldValue));
    out.writeString(encodeListpack(entries));
    return RDB_TYPE.HASH_LISTPACK;
  }
  out.writeLength(value.fields.size);
  value.fields.forEach((fieldValue, field) => {
    out.writeString(field);
    out.writeString(fieldValue);
  });
  return RDB_TYPE.HASH;
}

export function readHashRdb(rdbType: number, input: RdbReader): HashValue {
  if (rdbType === RDB_TYPE.HASH) {
    const hash = new HashValue();
    const count = input.readLength();
    for (let i = 0; i < count; i++) {
      const field = input.readString();
      const value = input.readString();
      if (!hash.fields.set(field, value)) throw new Error(`duplicate hash field '${field}'`);
    }
    return hash;
  }
  const blob = input.readStringBytes();
  if (rdbType === RDB_TYPE.HASH_LISTPACK) return hashFromPairs(decodeListpack(blob), 'listpack');
  if (rdbType === RDB_TYPE.HASH_ZIPLIST) return hashFromPairs(decodeZiplist(blob), 'ziplist');
  if (rdbType === RDB_TYPE.HASH_ZIPMAP) return hashFromPairs(decodeZipmap(blob), 'zipmap');
  throw new Error(`RDB type ${rdbType} is not a hash encoding`);
}

/** field, value, field, value ... → a hash; Redis refuses odd counts and repeated fields. */
function hashFromPairs(items: string[], format: string): HashValue {
  if (items.length % 2 !== 0) throw new Error(`hash ${format} has an odd number of entries (${items.length})`);
  const hash = new HashValue();
  for (let i = 0; i < items.length; i += 2) {
    if (!hash.fields.set(items[i], items[i + 1])) throw new Error(`duplicate hash field '${items[i]}' in ${format}`);
  }
  return hash;
}
