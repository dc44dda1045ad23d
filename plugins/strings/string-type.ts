import { RDB_TYPE, allocationSize, type DataTypeSpec, type StoredValue } from 'redix-server';
import { isInt64Text } from './string-numbers';

/** Redis keeps strings up to this length in one allocation with their object header ("embstr"). */
const EMBSTR_MAX = 44;
/** sizeof(robj) on 64-bit builds. */
const OBJECT_HEADER = 16;

/** Bytes of an sds header for a string of this length (sdshdr8/16/32/64). */
function sdsHeaderSize(length: number): number {
  if (length < 256) return 3;
  if (length < 65536) return 5;
  if (length < 2 ** 32) return 9;
  return 17;
}

/**
 * The "string" type: values stored as latin1 JS strings. In RDB it is type 0 (the writer picks
 * the integer or LZF encodings Redis would); an AOF rewrite emits SET.
 */
export const STRING_TYPE: DataTypeSpec<string> = {
  name: 'string',
  rdbTypes: [RDB_TYPE.STRING],
  owns(value: StoredValue): boolean {
    return typeof value === 'string';
  },
  writeRdb(value, out) {
    out.writeString(value);
    return RDB_TYPE.STRING;
  },
  readRdb(_rdbType, input) {
    return input.readString();
  },
  rewrite(key, value, emit) {
    emit(['SET', key, value]);
  },
  clone(value) {
    // JS strings are immutable: a snapshot can share them.
    return value;
  },
  /**
   * Redis's choice when a value is stored by SET and the like: "int" for a canonical int64,
   * "embstr" up to 44 bytes, else "raw". Not mirrored: Redis reports "raw" for a short string
   * changed in place by APPEND or SETRANGE, and "embstr" for INCRBYFLOAT's integral results; a
   * plain JS string carries no record of how it was made.
   */
  encoding(value) {
    if (value.length <= 20 && isInt64Text(value)) return 'int';
    return value.length <= EMBSTR_MAX ? 'embstr' : 'raw';
  },
  /** What Redis's MEMORY USAGE counts for the value object (the key is the caller's part). */
  memoryUsage(value) {
    if (value.length <= 20 && isInt64Text(value)) return OBJECT_HEADER;
    if (value.length <= EMBSTR_MAX) return allocationSize(OBJECT_HEADER + 3 + value.length + 1);
    return OBJECT_HEADER + allocationSize(sdsHeaderSize(value.length) + value.length + 1);
  },
  /** DEBUG DIGEST: Redis object type 0, then the bytes (an int-encoded value as its decimal text, which it is here). */
  digest(value, d) {
    d.objectType(0);
    d.mix(value);
  },
};
