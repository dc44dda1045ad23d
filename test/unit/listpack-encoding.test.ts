import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIntset, decodeListpack, encodeIntset, encodeListpack, RdbBufferReader } from '../../src/api/persistence';
import { listpackInteger } from '../../src/persistence/listpack';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';

/** Strings of every listpack encoding class: 7-bit, 13-bit, 16/24/32/64-bit integers and 6/12/32-bit string lengths. */
const ENTRIES = [
  '0', '1', '127', '128', '-1', '4095', '-4096', '4096', '-4097', '32767', '-32768', '32768', '8388607', '-8388608',
  '8388608', '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '-0', '007', '+1', '1.5', ' 1', '', 'a', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095),
  'w'.repeat(4096), '\x00\xff binary',
];

describe('listpack and intset encoders', () => {
  it('round-trip through the decoders (integers in decimal, as Redis reads them back)', () => {
    const decoded = decodeListpack(encodeListpack(ENTRIES));
    expect(decoded).toEqual(ENTRIES);
    expect(decodeListpack(encodeListpack([5, 300n, -70000, 2n ** 62n]))).toEqual(['5', '300', '-70000', String(2n ** 62n)]);
    const sorted = [-(2n ** 40n), -5n, 0n, 7n, 40000n];
    expect(decodeIntset(encodeIntset(sorted))).toEqual(sorted.map(String));
    expect(encodeIntset([1n, 2n]).readUInt32LE(0)).toBe(2);
    expect(encodeIntset([1n, 40000n]).readUInt32LE(0)).toBe(4);
    expect(encodeIntset([1n, 2n ** 33n]).readUInt32LE(0)).toBe(8);
  });

  it('reads integers as Redis strictly does', () => {
    expect(listpackInteger('123')).toBe(123);
    expect(listpackInteger('-0')).toBeNull();
    expect(listpackInteger('01')).toBeNull();
    expect(listpackInteger('9223372036854775808')).toBeNull();
    expect(listpackInteger('-9223372036854775808')).toBe(-(2n ** 63n));
  });

  it('counts more than 65535 entries as unknown (65535), as Redis does', () => {
    const many = Array.from({ length: 70_000 }, (_, i) => i % 2 === 0 ? 'a' : String(i));
    const lp = encodeListpack(many);
    expect(lp.readUInt16LE(4)).toBe(0xffff);
    expect(decodeListpack(lp).length).toBe(70_000);
  });
});

describe.skipIf(!hasRedisServer)('listpack and intset encoders against redis-server 7.0', () => {
  let redis: RealRedis;
  let conn: RawConnection;
  beforeAll(async () => {
    redis = await startRedisServer();
    conn = await RawConnection.connect(redis.port);
  });
  afterAll(async () => {
    conn?.close();
    await redis?.stop();
  });

  /** The value blob of a DUMP payload whose type is `type` (a listpack or intset as one RDB string). */
  async function dumpBlob(key: string, type: number): Promise<Buffer> {
    const reply = await conn.command(['DUMP', key]);
    const header = reply.indexOf('\r\n');
    const payload = reply.subarray(header + 2, reply.length - 2);
    expect(payload[0]).toBe(type);
    return new RdbBufferReader(payload.subarray(1, payload.length - 10)).readStringBytes();
  }

  it('writes a hash listpack byte for byte as redis-server does', async () => {
    await conn.command(['CONFIG', 'SET', 'hash-max-listpack-value', '5000', 'hash-max-listpack-entries', '512', 'rdbcompression', 'no']);
    const args: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < ENTRIES.length; i++) {
      const field = `f${i}`;
      if (seen.has(field)) continue;
      seen.add(field);
      args.push(field, ENTRIES[i]);
    }
    await conn.command(['HSET', 'h', ...args]);
    expect((await conn.command(['OBJECT', 'ENCODING', 'h'])).toString()).toBe('$8\r\nlistpack\r\n');
    expect(await dumpBlob('h', 16)).toEqual(encodeListpack(args));
  });

  it('writes an intset byte for byte as redis-server does', async () => {
    for (const members of [['1', '-5', '300'], ['1', '70000'], ['-1', String(2n ** 40n)]]) {
      await conn.command(['DEL', 's']);
      await conn.command(['SADD', 's', ...members]);
      const sorted = members.map(BigInt).sort((a, b) => (a < b ? -1 : 1));
      expect(await dumpBlob('s', 11)).toEqual(encodeIntset(sorted));
    }
  });
});
