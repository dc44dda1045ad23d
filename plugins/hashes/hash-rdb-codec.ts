import { PackedStringsBuilder, RDB_TYPE, type RdbReader, type RdbWriter } from 'redix-server';
import { ListpackBuilder, decodeListpack, decodeZiplist, decodeZipmap, listpackDeclaredCount, walkListpack } from 'redix-server/persistence';
import { HashValue } from './hash-value';

/**
 * The listpack limits loads use. readRdb gets no config, so the plugin keeps the server's current
 * limits here (ListpackLimits updates it); with two servers in one process the last one set wins.
 */
export const LOAD_LIMITS = { maxEntries: 128, maxValue: 64 };

/** Above this many fields a load checks for repeated fields with a Set, not a linear scan. */
const LINEAR_DUP_CHECK = 16;
const seenFields = new Set<string>();

/**
 * A hash's RDB payload, as Redis 7.0 writes it: a listpack-encoded hash as RDB_TYPE_HASH_LISTPACK
 * (the listpack built straight from the packed form, so a DUMP is byte for byte Redis's), a
 * hashtable one as RDB_TYPE_HASH (a length, then field and value strings).
 */
export function writeHashRdb(value: HashValue, out: RdbWriter): number {
  const packed = value.packed;
  if (packed !== null) {
    const builder = new ListpackBuilder();
    for (let pos = packed.first(); pos >= 0; pos = packed.next(pos)) builder.append(packed.itemAt(pos));
    out.writeString(builder.finish());
    return RDB_TYPE.HASH_LISTPACK;
  }
  out.writeLength(value.size);
  value.forEach((fieldValue, field) => {
    out.writeString(field);
    out.writeString(fieldValue);
  });
  return RDB_TYPE.HASH;
}

/**
 * Reads every encoding Redis has used (hash, zipmap before 2.6, ziplist before 7.0, listpack),
 * choosing the encoding as rdb.c does: a plain hash of more than hash-max-listpack-entries fields
 * is a hashtable from the start, else a listpack until a field or value is too long; a zipmap
 * converts on either limit; a ziplist or listpack is kept packed unless it has too many fields.
 */
export function readHashRdb(rdbType: number, input: RdbReader): HashValue {
  if (rdbType === RDB_TYPE.HASH) return readPlainHash(input);
  const blob = input.readStringView();
  if (rdbType === RDB_TYPE.HASH_LISTPACK) {
    // Most hashes stay listpacks: their packed form is built from the bytes, one string per hash.
    const declared = listpackDeclaredCount(blob);
    if (declared !== -1 && declared >> 1 <= LOAD_LIMITS.maxEntries) return packedHashFromListpack(blob);
    return hashFromPairs(decodeListpack(blob), 'listpack', false);
  }
  if (rdbType === RDB_TYPE.HASH_ZIPLIST) return hashFromPairs(decodeZiplist(blob), 'ziplist', false);
  if (rdbType === RDB_TYPE.HASH_ZIPMAP) return hashFromPairs(decodeZipmap(blob), 'zipmap', true);
  throw new Error(`RDB type ${rdbType} is not a hash encoding`);
}

/** The builder of packedHashFromListpack, reused (loading is synchronous). */
const builder = new PackedStringsBuilder();

/** A listpack of at most hash-max-listpack-entries pairs → a listpack-encoded hash, without a string per item. */
function packedHashFromListpack(blob: Buffer): HashValue {
  builder.reset();
  const items = walkListpack(blob, builder);
  if (items % 2 !== 0) throw new Error(`hash listpack has an odd number of entries (${items})`);
  const repeat = builder.firstRepeat(0, 2);
  if (repeat >= 0) throw new Error(`duplicate hash field '${builder.itemAt(repeat)}' in listpack`);
  return new HashValue(builder.finish());
}

function readPlainHash(input: RdbReader): HashValue {
  const hash = new HashValue();
  const count = input.readLength();
  const { maxEntries, maxValue } = LOAD_LIMITS;
  if (count > maxEntries) hash.convert();
  const useSet = count > LINEAR_DUP_CHECK;
  try {
    for (let i = 0; i < count; i++) {
      const field = input.readString();
      const value = input.readString();
      if (hash.isListpack && (field.length > maxValue || value.length > maxValue)) hash.convert();
      if (isRepeated(hash, field, useSet)) throw new Error(`duplicate hash field '${field}'`);
      hash.appendNew(field, value);
    }
  } finally {
    seenFields.clear();
  }
  hash.compact();
  return hash;
}

/** field, value, field, value ... → a hash; Redis refuses odd counts and repeated fields. */
function hashFromPairs(items: string[], format: string, checkValueLengths: boolean): HashValue {
  if (items.length % 2 !== 0) throw new Error(`hash ${format} has an odd number of entries (${items.length})`);
  const hash = new HashValue();
  const { maxEntries, maxValue } = LOAD_LIMITS;
  if (items.length / 2 > maxEntries || (checkValueLengths && items.some((s) => s.length > maxValue))) hash.convert();
  const useSet = items.length / 2 > LINEAR_DUP_CHECK;
  if (hash.isListpack && !useSet) {
    // Compared among the decoded fields, not by find() in the packed form while it is being
    // appended to (each find would flatten the growing string again).
    for (let i = 2; i < items.length; i += 2) {
      for (let j = 0; j < i; j += 2) if (items[i] === items[j]) throw new Error(`duplicate hash field '${items[i]}' in ${format}`);
    }
    for (let i = 0; i < items.length; i += 2) hash.appendNew(items[i], items[i + 1]);
    hash.compact();
    return hash;
  }
  try {
    for (let i = 0; i < items.length; i += 2) {
      if (isRepeated(hash, items[i], useSet)) throw new Error(`duplicate hash field '${items[i]}' in ${format}`);
      hash.appendNew(items[i], items[i + 1]);
    }
  } finally {
    seenFields.clear();
  }
  hash.compact();
  return hash;
}

/** True when `field` was already loaded into `hash` (a hashtable checks itself). */
function isRepeated(hash: HashValue, field: string, useSet: boolean): boolean {
  if (!hash.isListpack) return hash.has(field) || seenFields.has(field);
  if (!useSet) return hash.has(field);
  if (seenFields.has(field)) return true;
  seenFields.add(field);
  return false;
}
