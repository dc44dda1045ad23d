import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataTypeRegistry, RdbFormatError, type StoredValue } from '../../src/index';
import {
  RDB_OPCODE, RdbBufferReader, RdbFileEncoder, RdbFileReader, RdbFunctions, readRdb, readRdbInSlices, type RdbLoadedEntry, type RdbLoadOptions, type RdbByteReader,
} from '../../src/api/persistence';
import { hashDataType } from '../../plugins/hashes/hash-type';
import { HashValue } from '../../plugins/hashes/hash-value';
import { STRING_TYPE } from '../../plugins/strings/string-type';

const types = new DataTypeRegistry();
types.register(STRING_TYPE);
types.register(hashDataType);

const dir = mkdtempSync(join(tmpdir(), 'redix-rdb-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: RdbLoadOptions = { databases: 16, verifyChecksum: true, skipExpired: true };

function hash(pairs: Record<string, string>): HashValue {
  const h = new HashValue();
  for (const [f, v] of Object.entries(pairs)) h.set(f, v, 128, 64);
  return h;
}

interface Key {
  db: number;
  key: string;
  value: StoredValue;
  expireAt?: number;
}

function encode(keys: Key[], options = { compression: true, checksum: true }): Buffer {
  const enc = new RdbFileEncoder(options);
  const chunks: Buffer[] = [];
  enc.writeHeader([['redis-ver', '7.0.15'], ['redis-bits', '64']], [], null);
  let db = -1;
  for (const k of keys) {
    if (k.db !== db) {
      db = k.db;
      enc.writeDatabaseStart(db, keys.filter((x) => x.db === db).length, 0);
    }
    enc.writeEntry(k.key, k.value, k.expireAt ?? -1, types);
    chunks.push(enc.takeChunk()); // many small chunks: the checksum must still cover all of them
  }
  chunks.push(enc.finish());
  return Buffer.concat(chunks);
}

function read(reader: RdbByteReader, options: Partial<RdbLoadOptions> = {}): RdbLoadedEntry[] {
  const out: RdbLoadedEntry[] = [];
  readRdb(reader, types, { ...OPTIONS, ...options }, (e) => out.push(e));
  return out;
}

function render(e: RdbLoadedEntry): string {
  const v = typeof e.value === 'string' ? e.value : JSON.stringify([...(e.value as HashValue).entries()]);
  return `${e.dbIndex}:${e.key}=${v}@${e.expireAt}`;
}

function expectFormatError(fn: () => unknown, message: RegExp, offset?: number): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RdbFormatError);
    expect((e as RdbFormatError).message).toMatch(message);
    if (offset !== undefined) expect((e as RdbFormatError).offset).toBe(offset);
    return;
  }
  throw new Error('expected an RdbFormatError');
}

const future = Date.now() + 3_600_000;
const SAMPLE: Key[] = [
  { db: 0, key: 'str', value: 'hello' },
  { db: 0, key: 'int', value: '-12345' },
  { db: 0, key: 'long', value: 'compress me '.repeat(500) },
  { db: 0, key: 'ttl', value: 'bye', expireAt: future },
  { db: 2, key: 'h', value: hash({ a: '1', b: 'x'.repeat(300), c: '' }) },
  { db: 15, key: 'bin\x00\xff', value: '\r\n\x00' },
];

describe('RDB files', () => {
  it('round-trips keys, TTLs and databases, in one buffer and through small file chunks', () => {
    const bytes = encode(SAMPLE);
    expect(bytes.subarray(0, 9).toString()).toBe('REDIS0010');
    const expected = SAMPLE.map((k) => render({ dbIndex: k.db, key: k.key, value: k.value, expireAt: k.expireAt ?? -1 }));
    expect(read(new RdbBufferReader(bytes)).map(render)).toEqual(expected);
    const path = join(dir, 'sample.rdb');
    writeFileSync(path, bytes);
    for (const chunk of [1, 7, 64, 1 << 20]) {
      const reader = new RdbFileReader(path, chunk);
      try {
        expect(read(reader).map(render)).toEqual(expected);
      } finally {
        reader.close();
      }
    }
  });

  it('reads the same keys in slices, pausing between them, and stops where a pause throws', async () => {
    const many: Key[] = Array.from({ length: 2000 }, (_, i) => ({ db: i % 3, key: `k${i}`, value: `v${i}` })).sort((a, b) => a.db - b.db);
    const bytes = encode(many);
    const sync = read(new RdbBufferReader(bytes)).map(render);
    const out: RdbLoadedEntry[] = [];
    let pauses = 0;
    // A zero-length slice pauses after every step of 128 items.
    const summary = await readRdbInSlices(new RdbBufferReader(bytes), types, OPTIONS, (e) => out.push(e), async () => {
      pauses++;
    }, 0);
    expect(out.map(render)).toEqual(sync);
    expect(summary.keysLoaded).toBe(2000);
    expect(summary.checksumVerified).toBe(true);
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(2000 / 128));
    const partial: RdbLoadedEntry[] = [];
    await expect(readRdbInSlices(new RdbBufferReader(bytes), types, OPTIONS, (e) => partial.push(e), () => Promise.reject(new Error('stop')), 0)).rejects.toThrow('stop');
    expect(partial.length).toBeLessThan(2000);
  });

  it('drops keys that expired, as a master loading its dump does, and keeps them otherwise', () => {
    const bytes = encode([{ db: 0, key: 'old', value: 'x', expireAt: 1000 }, { db: 0, key: 'new', value: 'y' }]);
    expect(read(new RdbBufferReader(bytes)).map((e) => e.key)).toEqual(['new']);
    expect(read(new RdbBufferReader(bytes), { skipExpired: false }).map((e) => e.key)).toEqual(['old', 'new']);
  });

  it('reads second-precision expiry (old files), and skips LRU/LFU and unknown AUX fields', () => {
    const body = Buffer.concat([
      Buffer.from('REDIS0006'),
      Buffer.from([RDB_OPCODE.AUX, 3, ...Buffer.from('foo'), 3, ...Buffer.from('bar')]),
      Buffer.from([RDB_OPCODE.SELECTDB, 1, RDB_OPCODE.EXPIRETIME]),
      Buffer.alloc(4), // the expiry in seconds, written below
      Buffer.from([RDB_OPCODE.IDLE, 5, RDB_OPCODE.FREQ, 9, 0, 1, ...Buffer.from('k'), 1, ...Buffer.from('v')]),
      Buffer.from([RDB_OPCODE.EOF]),
      Buffer.alloc(8), // checksum 0: not verified
    ]);
    body.writeInt32LE(2_000_000_000, 9 + 9 + 3);
    const out = read(new RdbBufferReader(body));
    expect(out.map(render)).toEqual(['1:k=v@2000000000000']);
  });

  it('refuses a flipped byte with the checksum error and its offset', () => {
    const bytes = encode(SAMPLE);
    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.indexOf('hello') + 1] ^= 0x20;
    expectFormatError(() => read(new RdbBufferReader(corrupt)), /checksum mismatch/, bytes.length - 8);
    // Without verification (rdbchecksum no) the flipped byte loads.
    expect(read(new RdbBufferReader(corrupt), { verifyChecksum: false })[0].value).toBe('hEllo');
  });

  it('does not verify a zero checksum (written with rdbchecksum no)', () => {
    const bytes = encode(SAMPLE, { compression: false, checksum: false });
    expect(bytes.subarray(bytes.length - 8).every((b) => b === 0)).toBe(true);
    expect(read(new RdbBufferReader(bytes))).toHaveLength(SAMPLE.length);
  });

  it('refuses truncated files at every length, naming where data ran out', () => {
    const bytes = encode(SAMPLE.slice(0, 3));
    for (let len = 0; len < bytes.length; len++) {
      expect(() => read(new RdbBufferReader(bytes.subarray(0, len)))).toThrow(RdbFormatError);
    }
    const path = join(dir, 'truncated.rdb');
    writeFileSync(path, bytes.subarray(0, 60));
    const reader = new RdbFileReader(path, 16);
    try {
      expectFormatError(() => read(reader), /unexpected end of file/);
    } finally {
      reader.close();
    }
  });

  it('refuses what Redix cannot represent, naming it', () => {
    const header = Buffer.from('REDIS0010');
    const eof = Buffer.from([RDB_OPCODE.EOF, 0, 0, 0, 0, 0, 0, 0, 0]);
    const list = Buffer.concat([header, Buffer.from([14, 1, 0x6c, 1, 1, 0x61]), eof]);
    expectFormatError(() => read(new RdbBufferReader(list)), /RDB type 14 \(list \(quicklist\)\), which no loaded plugin can read/, 9);
    const module = Buffer.concat([header, Buffer.from([RDB_OPCODE.MODULE_AUX, 0, 2, 2]), eof]);
    // Module id 0 names 'AAAAAAAAA', which no plugin declares: Redis's message for unknown AUX data.
    expectFormatError(() => read(new RdbBufferReader(module)), /^The RDB file contains AUX module data I can't load: no matching module 'AAAAAAAAA'$/, 9);
    const fn = Buffer.concat([header, Buffer.from([RDB_OPCODE.FUNCTION_PRE_GA, 1, 0x61]), eof]);
    expectFormatError(() => read(new RdbBufferReader(fn)), /function library in the pre-GA format/, 9);
    const opcode = Buffer.concat([header, Buffer.from([200]), eof]);
    expectFormatError(() => read(new RdbBufferReader(opcode)), /unknown RDB opcode 200/, 9);
    const db = Buffer.concat([header, Buffer.from([RDB_OPCODE.SELECTDB, 20]), eof]);
    expectFormatError(() => read(new RdbBufferReader(db)), /database 20, but this server has 16/, 9);
    expectFormatError(() => read(new RdbBufferReader(Buffer.from('REDIS0012'))), /version 12 is not supported/);
    expectFormatError(() => read(new RdbBufferReader(Buffer.from('NOTREDIS0'))), /wrong signature/, 0);
  });

  it('writes function libraries after the AUX fields and reads them back for their owner (server.rdbFunctions)', () => {
    const encoder = new RdbFileEncoder({ compression: false, checksum: true });
    const code = '#!lua name=lib\nredis.register_function("f", function() return 1 end)';
    encoder.writeHeader([['redis-ver', '7.0.15']], [code, '#!lua name=b\nx'], null);
    const file = Buffer.concat([encoder.takeChunk(), encoder.finish()]);
    // REDIS0010, the AUX field, then opcode 245 and the code as an RDB string
    const at = 9 + 1 + 1 + 9 + 1 + 6;
    expect(file[at]).toBe(RDB_OPCODE.FUNCTION2);
    // (a 14-bit length: two bytes)
    expect(file.subarray(at + 3, at + 3 + code.length).toString('latin1')).toBe(code);
    const summary = readRdb(new RdbBufferReader(file), new DataTypeRegistry(), { databases: 16, verifyChecksum: true, skipExpired: false }, () => undefined);
    expect(summary.functions).toEqual([code, '#!lua name=b\nx']);
    const owned = new RdbFunctions();
    expect(() => owned.loaded(summary.functions)).toThrow(/function libraries .*no loaded plugin can load/);
    owned.loaded([]);
    let got: readonly string[] = [];
    const release = owned.own({ codes: () => ['saved'], replaceAll: (codes) => { got = codes; } });
    owned.loaded(summary.functions);
    expect(got).toEqual(summary.functions);
    expect(owned.codesForSave()).toEqual(['saved']);
    release();
    expect(owned.codesForSave()).toEqual([]);
  });

  it('names the key whose value is malformed', () => {
    const bad = Buffer.concat([Buffer.from('REDIS0010'), Buffer.from([16, 1, 0x68, 3, 1, 2, 3]), Buffer.from([RDB_OPCODE.EOF]), Buffer.alloc(8)]);
    expectFormatError(() => read(new RdbBufferReader(bad)), /cannot read the value of key 'h' \(RDB type 16 \(hash \(listpack\)\)\): corrupt listpack/, 9);
  });

  it('skips empty collections, as Redis does', () => {
    const empty = Buffer.concat([Buffer.from('REDIS0010'), Buffer.from([4, 1, 0x68, 0, 0, 1, 0x6b, 1, 0x76, RDB_OPCODE.EOF]), Buffer.alloc(8)]);
    expect(read(new RdbBufferReader(empty)).map(render)).toEqual(['0:k=v@-1']);
  });
});
