import type { DataTypeRegistry, DataTypeSpec } from '../kernel/data-types';
import type { StoredValue } from '../keyspace/value';
import { CompactEncodingError } from './compact-encoding-error';
import { Crc64 } from './crc64';
import { RdbBufferWriter } from './rdb-buffer-writer';
import { RdbBufferReader, RdbFormatError, type RdbByteReader } from './rdb-reader';
import { RDB_TYPE } from './rdb-stream';
import { MODULE_AUX } from '../kernel/module-aux';

/** The version Redis 7.0 writes. */
export const RDB_VERSION = 10;
/** The newest version read: Redis 7.2 writes 11 (it adds the set listpack type, a plugin's concern). */
export const RDB_MAX_READ_VERSION = 11;

/** Opcodes that can stand where a value type byte would (Redis 7.0's rdb.h). */
export const RDB_OPCODE = {
  FUNCTION2: 245, FUNCTION_PRE_GA: 246, MODULE_AUX: 247, IDLE: 248, FREQ: 249, AUX: 250,
  RESIZEDB: 251, EXPIRETIME_MS: 252, EXPIRETIME: 253, SELECTDB: 254, EOF: 255,
} as const;

const TYPE_NAMES: Record<number, string> = {
  [RDB_TYPE.STRING]: 'string', [RDB_TYPE.LIST]: 'list', [RDB_TYPE.SET]: 'set', [RDB_TYPE.ZSET]: 'zset',
  [RDB_TYPE.HASH]: 'hash', [RDB_TYPE.ZSET_2]: 'zset (binary scores)', 6: 'module (pre-GA)',
  [RDB_TYPE.MODULE_2]: 'module value', [RDB_TYPE.HASH_ZIPMAP]: 'hash (zipmap)', [RDB_TYPE.LIST_ZIPLIST]: 'list (ziplist)',
  [RDB_TYPE.SET_INTSET]: 'set (intset)', [RDB_TYPE.ZSET_ZIPLIST]: 'zset (ziplist)', [RDB_TYPE.HASH_ZIPLIST]: 'hash (ziplist)',
  [RDB_TYPE.LIST_QUICKLIST]: 'list (quicklist)', [RDB_TYPE.STREAM_LISTPACKS]: 'stream', [RDB_TYPE.HASH_LISTPACK]: 'hash (listpack)',
  [RDB_TYPE.ZSET_LISTPACK]: 'zset (listpack)', [RDB_TYPE.LIST_QUICKLIST_2]: 'list (quicklist v2)',
  [RDB_TYPE.STREAM_LISTPACKS_2]: 'stream (v2)', [RDB_TYPE.SET_LISTPACK]: 'set (listpack)', [RDB_TYPE.STREAM_LISTPACKS_3]: 'stream (v3)',
};

/** "RDB type 14 (list (quicklist))": how errors name a value type. */
export function describeRdbType(type: number): string {
  const name = TYPE_NAMES[type];
  return name === undefined ? `RDB type ${type}` : `RDB type ${type} (${name})`;
}

/** The data type that reads values of RDB type `type`, or an error naming it. */
function specForRdbType(dataTypes: DataTypeRegistry, type: number, at: number): DataTypeSpec {
  const spec = dataTypes.forRdbType(type);
  if (spec === undefined) {
    throw new RdbFormatError(`the data holds a value of ${describeRdbType(type)}, which no loaded plugin can read`, at);
  }
  return spec;
}

/** The data type a stored value belongs to, or an error (a value no plugin owns cannot be saved). */
export function specForValue(dataTypes: DataTypeRegistry, value: StoredValue): DataTypeSpec {
  const spec = dataTypes.of(value);
  if (spec === undefined) throw new Error(`no loaded plugin can save a value of type "${typeof value === 'string' ? 'string' : value.type}"`);
  return spec;
}

// ---- writing --------------------------------------------------------------------------------

/**
 * Encodes a whole RDB file piece by piece into a buffer the caller drains with `takeChunk()`,
 * keeping the CRC-64 of everything taken. A key's type byte is written first as a placeholder
 * and filled in once the type's codec has said which encoding it used.
 */
export class RdbFileEncoder {
  readonly out: RdbBufferWriter;
  private readonly crc = new Crc64();
  private readonly checksum: boolean;
  private readonly compression: boolean;
  /** The module AUX records saved after the keys, encoded when the header was (the save's point in time). */
  private moduleAuxAfter: Buffer | null = null;
  /** Bytes handed out so far. */
  written = 0;

  constructor(options: { compression: boolean; checksum: boolean }) {
    this.out = new RdbBufferWriter({ compression: options.compression, initialSize: 256 * 1024 });
    this.checksum = options.checksum;
    this.compression = options.compression;
  }

  /**
   * "REDIS0010", the AUX fields Redis 7.0 writes, the module types' AUX data saved before the keys,
   * then the function libraries (one RDB_OPCODE_FUNCTION2 record per library's code, where Redis
   * 7.0 puts them: before the data). The module AUX data saved after the keys is encoded now too,
   * and written by finish(). `moduleAux`: the registry whose module types save AUX data, or null
   * when the file holds no data (a replica's functions-only sync).
   */
  writeHeader(aux: readonly (readonly [string, string])[], functions: readonly string[], moduleAux: DataTypeRegistry | null): void {
    this.out.writeBytes(Buffer.from(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, 'latin1'));
    for (const [key, value] of aux) {
      this.out.writeByte(RDB_OPCODE.AUX);
      this.out.writeString(key);
      this.out.writeString(value);
    }
    if (moduleAux !== null && moduleAux.hasModuleAux) {
      moduleAux.writeModuleAux(this.out, MODULE_AUX.BEFORE_RDB);
      const after = new RdbBufferWriter({ compression: this.compression, initialSize: 256 });
      moduleAux.writeModuleAux(after, MODULE_AUX.AFTER_RDB);
      this.moduleAuxAfter = after.take();
    }
    for (const code of functions) {
      this.out.writeByte(RDB_OPCODE.FUNCTION2);
      this.out.writeString(code);
    }
  }

  /** SELECTDB and RESIZEDB (a sizing hint for the loader). */
  writeDatabaseStart(index: number, keys: number, expires: number): void {
    this.out.writeByte(RDB_OPCODE.SELECTDB);
    this.out.writeLength(index);
    this.out.writeByte(RDB_OPCODE.RESIZEDB);
    this.out.writeLength(keys);
    this.out.writeLength(expires);
  }

  /** One key: its expiry (if any), type, name and value. */
  writeEntry(key: string, value: StoredValue, expireAt: number, dataTypes: DataTypeRegistry): void {
    const out = this.out;
    if (expireAt >= 0) {
      out.writeByte(RDB_OPCODE.EXPIRETIME_MS);
      out.writeMillis(expireAt);
    }
    const typeAt = out.length;
    out.writeByte(0);
    out.writeString(key);
    const type = specForValue(dataTypes, value).writeRdb(value, out);
    out.patchByte(typeAt, type);
  }

  /** Bytes encoded since the last call (the caller owns them); they join the checksum. */
  takeChunk(): Buffer {
    const chunk = this.out.take();
    this.crc.update(chunk);
    this.written += chunk.length;
    return chunk;
  }

  /** The last bytes: whatever is pending, EOF, and the checksum (zero when rdbchecksum is off). */
  finish(): Buffer {
    if (this.moduleAuxAfter !== null) this.out.writeBytes(this.moduleAuxAfter);
    this.out.writeByte(RDB_OPCODE.EOF);
    const body = this.takeChunk();
    const footer = this.checksum ? this.crc.toBytes() : Buffer.alloc(8);
    this.written += 8;
    return Buffer.concat([body, footer]);
  }

  /** Bytes waiting to be taken. */
  get pending(): number {
    return this.out.length;
  }
}

/** A DUMP payload: type byte, value, RDB version (2 bytes LE), CRC-64 of all that (8 bytes LE). */
export function createDumpPayload(value: StoredValue, dataTypes: DataTypeRegistry, compression: boolean): Buffer {
  const out = new RdbBufferWriter({ compression, initialSize: 256 });
  out.writeByte(0);
  const type = specForValue(dataTypes, value).writeRdb(value, out);
  out.patchByte(0, type);
  out.writeByte(RDB_VERSION & 0xff);
  out.writeByte(RDB_VERSION >> 8);
  const crc = new Crc64().update(out.view());
  out.writeBytes(crc.toBytes());
  return out.take();
}

/** Why a RESTORE payload was refused, in Redis's two categories. */
export type DumpPayloadProblem = 'footer' | 'format';

/**
 * Reads a DUMP payload: 'footer' when the version is newer than Redis 7.0's or the checksum does
 * not match, 'format' when the value itself cannot be read.
 */
export function parseDumpPayload(payload: Buffer, dataTypes: DataTypeRegistry): StoredValue | DumpPayloadProblem {
  const len = payload.length;
  if (len < 10) return 'footer';
  const version = payload[len - 10] | (payload[len - 9] << 8);
  if (version > RDB_VERSION) return 'footer';
  if (!new Crc64().update(payload, 0, len - 8).matches(payload, len - 8)) return 'footer';
  const reader = new RdbBufferReader(payload, 0, len - 10);
  try {
    const type = reader.readByte();
    const spec = dataTypes.forRdbType(type);
    if (spec === undefined) return 'format';
    return spec.readRdb(type, reader);
  } catch (e) {
    if (e instanceof RdbFormatError || e instanceof CompactEncodingError) return 'format';
    throw e;
  }
}

// ---- reading --------------------------------------------------------------------------------

export interface RdbLoadOptions {
  /** Number of databases the server has (SELECTDB beyond it is an error). */
  databases: number;
  /** Verify the CRC-64 footer (rdbchecksum); a zero footer is never verified, as in Redis. */
  verifyChecksum: boolean;
  /** Drop keys whose expiry has passed (a master loading its own dump), as Redis does. */
  skipExpired: boolean;
  /** "now" for skipExpired, in unix ms. */
  now?: number;
}

export interface RdbLoadedEntry {
  dbIndex: number;
  key: string;
  value: StoredValue;
  /** Absolute unix ms, or -1. */
  expireAt: number;
}

export interface RdbLoadSummary {
  version: number;
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  /** AUX fields in file order (redis-ver, ctime, repl-id, ...). */
  aux: [string, string][];
  /** The code of each function library (RDB_OPCODE_FUNCTION2 records), in file order: for RdbFunctions.loaded(). */
  functions: string[];
  /** False when the file's footer was zero (saved with rdbchecksum no). */
  checksumVerified: boolean;
}

/**
 * Reads an RDB stream to its EOF opcode and checksum, handing each key to `onEntry` and each
 * module AUX record to its module type. Anything Redix cannot represent (a type no plugin reads,
 * module data of a type no plugin declares, pre-GA functions) or that is malformed
 * throws an RdbFormatError naming it and the byte offset. Bytes after the checksum are not read
 * (an AOF with an RDB preamble continues there).
 */
export function readRdb(reader: RdbByteReader, dataTypes: DataTypeRegistry, options: RdbLoadOptions, onEntry: (entry: RdbLoadedEntry) => void): RdbLoadSummary {
  const load = new RdbStreamLoader(reader, dataTypes, options, onEntry);
  while (!load.step(Infinity)) {
    // until the EOF opcode and the checksum are read
  }
  return load.summary;
}

/** Opcodes and keys read between two clock checks of readRdbInSlices. */
const ITEMS_PER_CHECK = 128;

/**
 * readRdb for a load while clients are served (they get -LOADING): reads for about `sliceMs`,
 * then awaits `pause` (which lets the event loop run, and may throw to abort the load).
 */
export async function readRdbInSlices(
  reader: RdbByteReader, dataTypes: DataTypeRegistry, options: RdbLoadOptions, onEntry: (entry: RdbLoadedEntry) => void,
  pause: () => Promise<void>, sliceMs = 25,
): Promise<RdbLoadSummary> {
  const load = new RdbStreamLoader(reader, dataTypes, options, onEntry);
  let sliceStart = Date.now();
  while (!load.step(ITEMS_PER_CHECK)) {
    if (Date.now() - sliceStart < sliceMs) continue;
    await pause();
    sliceStart = Date.now();
  }
  return load.summary;
}

/**
 * The RDB reading state machine: the header is read by the constructor, then each step() reads
 * up to a given number of opcodes and keys, so a caller can load a big file in slices.
 */
class RdbStreamLoader {
  readonly summary: RdbLoadSummary;
  private readonly now: number;
  private dbIndex = 0;
  private expireAt = -1;

  constructor(
    private readonly reader: RdbByteReader,
    private readonly dataTypes: DataTypeRegistry,
    private readonly options: RdbLoadOptions,
    private readonly onEntry: (entry: RdbLoadedEntry) => void,
  ) {
    const magic = reader.readLatin1(9);
    if (!magic.startsWith('REDIS') || !/^\d{4}$/.test(magic.slice(5))) {
      throw new RdbFormatError('not an RDB file (wrong signature)', 0);
    }
    const version = Number(magic.slice(5));
    if (version < 1 || version > RDB_MAX_READ_VERSION) {
      throw new RdbFormatError(`RDB format version ${version} is not supported (this server reads versions 1 to ${RDB_MAX_READ_VERSION})`, 5);
    }
    this.now = options.now ?? Date.now();
    this.summary = { version, keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, aux: [], functions: [], checksumVerified: false };
  }

  /** Reads up to `items` opcodes and keys; true once the EOF opcode (and checksum) were read. */
  step(items: number): boolean {
    const { reader, options, summary } = this;
    for (let n = 0; n < items; n++) {
      const at = reader.offset;
      const type = reader.readByte();
      switch (type) {
        case RDB_OPCODE.EXPIRETIME:
          this.expireAt = reader.readInt32() * 1000;
          continue;
        case RDB_OPCODE.EXPIRETIME_MS:
          this.expireAt = reader.readInt64();
          continue;
        case RDB_OPCODE.FREQ:
          reader.readByte(); // LFU counter: Redix keeps no eviction statistics
          continue;
        case RDB_OPCODE.IDLE:
          reader.readLength(); // LRU idle time, likewise
          continue;
        case RDB_OPCODE.SELECTDB:
          this.dbIndex = reader.readLength();
          if (this.dbIndex >= options.databases) {
            throw new RdbFormatError(`the data uses database ${this.dbIndex}, but this server has ${options.databases} (raise "databases")`, at);
          }
          continue;
        case RDB_OPCODE.RESIZEDB:
          reader.readLength();
          reader.readLength();
          continue;
        case RDB_OPCODE.AUX:
          summary.aux.push([reader.readString(), reader.readString()]);
          continue;
        case RDB_OPCODE.MODULE_AUX:
          this.dataTypes.readModuleAux(reader, at);
          continue;
        case RDB_OPCODE.FUNCTION2:
          summary.functions.push(reader.readString());
          continue;
        case RDB_OPCODE.FUNCTION_PRE_GA:
          throw new RdbFormatError(`the data holds a function library in the pre-GA format (RDB opcode ${type}), which Redix cannot load`, at);
        case RDB_OPCODE.EOF:
          this.readChecksum();
          return true;
        default:
          this.readEntry(type, at);
          continue;
      }
    }
    return false;
  }

  private readEntry(type: number, at: number): void {
    const { reader, summary } = this;
    if (type > RDB_TYPE.STREAM_LISTPACKS_3) throw new RdbFormatError(`unknown RDB opcode ${type}`, at);
    const spec = specForRdbType(this.dataTypes, type, at);
    const key = reader.readString();
    let value: StoredValue;
    try {
      value = spec.readRdb(type, reader);
    } catch (e) {
      if (e instanceof RdbFormatError) throw e;
      throw new RdbFormatError(`cannot read the value of key '${printable(key)}' (${describeRdbType(type)}): ${(e as Error).message}`, at);
    }
    const entryExpiry = this.expireAt;
    this.expireAt = -1;
    if (isEmptyValue(value)) {
      summary.emptyKeysSkipped++;
      return;
    }
    if (this.options.skipExpired && entryExpiry !== -1 && entryExpiry < this.now) {
      summary.keysExpired++;
      return;
    }
    this.onEntry({ dbIndex: this.dbIndex, key, value, expireAt: entryExpiry });
    summary.keysLoaded++;
  }

  private readChecksum(): void {
    const { reader, summary } = this;
    if (summary.version < 5) return;
    const computed = reader.checksum();
    const at = reader.offset;
    const footer = reader.readBytes(8);
    const zero = footer.every((b) => b === 0);
    if (this.options.verifyChecksum && !zero) {
      if (!computed.matches(footer, 0)) {
        const found = footer.readBigUInt64LE(0).toString(16);
        throw new RdbFormatError(`RDB checksum mismatch: computed ${computed.value.toString(16)}, file has ${found}`, at);
      }
      summary.checksumVerified = true;
    }
  }
}

/** Redis skips keys whose collection came out empty (old bugs could save them). */
function isEmptyValue(value: StoredValue): boolean {
  if (typeof value === 'string') return false;
  const size = (value as { size?: unknown }).size;
  return typeof size === 'number' && size === 0;
}

/** A key as error messages quote it: at most 64 bytes, control characters escaped. */
function printable(key: string): string {
  let out = '';
  for (let i = 0; i < Math.min(key.length, 64); i++) {
    const c = key.charCodeAt(i);
    out += c < 0x20 || c >= 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : key[i];
  }
  return key.length > 64 ? out + '...' : out;
}
