import { PackedStringsBuilder, RDB_TYPE, formatDouble17g, parseDouble, type RdbReader, type RdbWriter } from 'redix-server';
import { decodeListpack, decodeZiplist, encodeListpack, listpackDeclaredCount, walkListpack, type ListpackSink } from 'redix-server/persistence';
import { ZSetValue } from './zset-value';

/**
 * A sorted set's RDB payload, as Redis 7.0 writes it: a listpack-encoded set as RDB_TYPE_ZSET_LISTPACK
 * (member, score, ... with scores as d2string text, which the listpack stores as integers when
 * they are), a skiplist one as RDB_TYPE_ZSET_2 (length, then member and binary double from the
 * highest score down). Read also: RDB_TYPE_ZSET (ASCII scores) and RDB_TYPE_ZSET_ZIPLIST.
 */
export function writeZsetRdb(value: ZSetValue, out: RdbWriter): number {
  if (!value.skiplist) {
    const entries: (string | number | bigint)[] = [];
    for (let n = value.list.first; n !== null; n = n.next) entries.push(n.member, listpackScoreEntry(n.score));
    out.writeString(encodeListpack(entries));
    return RDB_TYPE.ZSET_LISTPACK;
  }
  out.writeLength(value.size);
  for (let n = value.list.tail; n !== null; n = n.backward) {
    out.writeString(n.member);
    out.writeDouble(n.score);
  }
  return RDB_TYPE.ZSET_2;
}

const LLONG_HALF = 2 ** 62;

/** A score as zzlInsertAt stores it: an integer when double2ll allows, else d2string text. */
function listpackScoreEntry(score: number): string | number | bigint {
  if (Number.isInteger(score) && score >= -LLONG_HALF && score <= LLONG_HALF) return Number.isSafeInteger(score) ? score : BigInt(score);
  return formatDouble17g(score);
}

/** The old text double of RDB_TYPE_ZSET: a length byte (253 nan, 254 inf, 255 -inf), then ASCII. */
function readAsciiDouble(input: RdbReader): number {
  const len = input.readByte();
  if (len === 253) return NaN;
  if (len === 254) return Infinity;
  if (len === 255) return -Infinity;
  const text = input.readBytes(len).latin1Slice(0, len);
  const d = Number(text.trim());
  if (Number.isNaN(d)) throw new Error(`invalid zset score "${text}" at offset ${input.offset}`);
  return d;
}

function add(zset: ZSetValue, member: string, score: number, format: string): void {
  if (Number.isNaN(score)) throw new Error(`zset ${format} has a NaN score for '${member}'`);
  if (zset.dict.has(member)) throw new Error(`duplicate zset member '${member}' in ${format}`);
  zset.insertNew(member, score);
}

/**
 * Packs a listpack's member, score, ... items as they are decoded (the set's pending form, see
 * ZSetValue), checking each text score as a later expansion will parse it.
 */
class ZsetPackSink implements ListpackSink {
  readonly builder = new PackedStringsBuilder();

  reset(): void {
    this.builder.reset();
  }

  bytes(buf: Buffer, start: number, end: number): void {
    const builder = this.builder;
    if ((builder.size & 1) === 1) {
      const score = parseDouble(buf.latin1Slice(start, end));
      if (score === null || Number.isNaN(score)) throw new Error(`zset listpack has a NaN score for '${builder.itemAt(builder.size - 1)}'`);
    }
    builder.bytes(buf, start, end);
  }

  integer(value: number | bigint): void {
    this.builder.integer(value);
  }
}

/** The sink of readZsetRdb, reused (loading is synchronous). */
const packSink = new ZsetPackSink();

/** A listpack-encoded sorted set, kept packed until first used. */
function packedZsetFromListpack(blob: Buffer): ZSetValue {
  packSink.reset();
  const count = walkListpack(blob, packSink);
  if (count % 2 !== 0) throw new Error(`zset encoding has an odd number of entries (${count})`);
  const builder = packSink.builder;
  const repeat = builder.firstRepeat(0, 2);
  if (repeat >= 0) throw new Error(`duplicate zset member '${builder.itemAt(repeat)}' in listpack`);
  return new ZSetValue(builder.finish());
}

/**
 * The listpack limits loads use. readRdb gets no config, so the plugin keeps the server's current
 * limits here (ZsetLimits updates it); with two servers in one process the last one set wins.
 */
export const LOAD_LIMITS = { maxEntries: 128, maxValue: 64 };

/** Reads a sorted set, in the encoding Redis 7.0 gives the loaded value. */
export function readZsetRdb(rdbType: number, input: RdbReader): ZSetValue {
  let blob: Buffer | null = null;
  if (rdbType === RDB_TYPE.ZSET_LISTPACK) {
    blob = input.readStringView();
    const declared = listpackDeclaredCount(blob);
    if (declared !== -1 && declared >> 1 <= LOAD_LIMITS.maxEntries) return packedZsetFromListpack(blob);
  }
  const zset = new ZSetValue();
  if (rdbType === RDB_TYPE.ZSET || rdbType === RDB_TYPE.ZSET_2) {
    const count = input.readLength();
    for (let i = 0; i < count; i++) {
      const member = input.readString();
      const score = rdbType === RDB_TYPE.ZSET_2 ? input.readDouble() : readAsciiDouble(input);
      add(zset, member, score, 'rdb');
    }
    zset.chooseEncoding(LOAD_LIMITS.maxEntries, LOAD_LIMITS.maxValue);
    return zset;
  }
  if (blob !== null) {
    const items = decodeListpack(blob);
    if (items.length % 2 !== 0) throw new Error(`zset encoding has an odd number of entries (${items.length})`);
    for (let i = 0; i < items.length; i += 2) add(zset, items[i], parseDouble(items[i + 1]) ?? NaN, 'listpack');
  } else if (rdbType === RDB_TYPE.ZSET_ZIPLIST) {
    const items = decodeZiplist(input.readStringView());
    if (items.length % 2 !== 0) throw new Error(`zset encoding has an odd number of entries (${items.length})`);
    for (let i = 0; i < items.length; i += 2) add(zset, items[i], parseDouble(items[i + 1]) ?? NaN, 'listpack');
  } else {
    throw new Error(`RDB type ${rdbType} is not a sorted set encoding`);
  }
  // Redis keeps a loaded listpack unless it has too many entries.
  zset.skiplist = zset.size > LOAD_LIMITS.maxEntries;
  return zset;
}
