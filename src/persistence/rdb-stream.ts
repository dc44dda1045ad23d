/**
 * RDB encoding primitives shared by data-type plugins (their value codecs) and the rdb plugin
 * (the file around them): lengths, strings (raw, integer-encoded, LZF), doubles.
 */
export interface RdbWriter {
  writeByte(b: number): void;
  writeBytes(b: Buffer): void;
  writeLength(n: number): void;
  /** A string, integer-encoded or LZF-compressed when that is what Redis would write. */
  writeString(s: string | Buffer): void;
  /**
   * A list node's listpack that Redis keeps LZF-compressed in memory (list-compress-depth): an LZF
   * blob when compression saves more than 8 bytes of a blob of 48 or more (quicklist.c's rule,
   * whatever rdbcompression says, as Redis saves such nodes as they are), else as writeString.
   */
  writeCompressedNode(blob: Buffer): void;
  /** Binary double (RDB_TYPE_ZSET_2 style). */
  writeDouble(d: number): void;
}

export interface RdbReader {
  readByte(): number;
  readBytes(n: number): Buffer;
  readLength(): number;
  /** A string in any encoding, as latin1. */
  readString(): string;
  /** A string in any encoding, as bytes (ziplist/listpack blobs). */
  readStringBytes(): Buffer;
  /** readStringBytes without the copy: a view valid until the next read, for a blob decoded at once. */
  readStringView(): Buffer;
  readDouble(): number;
  /** Byte offset, for error messages. */
  readonly offset: number;
}

/** RDB value type bytes (Redis 7.0's rdb.h). */
export const RDB_TYPE = {
  STRING: 0, LIST: 1, SET: 2, ZSET: 3, HASH: 4, ZSET_2: 5, MODULE_2: 7, HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10, SET_INTSET: 11, ZSET_ZIPLIST: 12, HASH_ZIPLIST: 13, LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15, HASH_LISTPACK: 16, ZSET_LISTPACK: 17, LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19, SET_LISTPACK: 20, STREAM_LISTPACKS_3: 21,
} as const;
