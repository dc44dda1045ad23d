import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { REDIS_MISSING, hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { seededBytes } from './lzf-inputs';
import { bulk, call, pipeline } from './rdb-dataset';

type Arg = string | Buffer;
const hasCheckRdb = spawnSync('which', ['redis-check-rdb']).status === 0;
/** Header fields whose values are the moment and the process, not the data. */
const VARYING_AUX = new Set(['ctime', 'used-mem']);

/**
 * Every type in each encoding whose element order is Redis's own (not dict order), big and
 * repetitive enough that LZF is used: strings, a multi-node list, listpack hashes, intsets,
 * listpack and skiplist sorted sets, a stream with a group; TTLs; two databases.
 */
function datasetCommands(): Arg[][] {
  const rand = seededBytes(99);
  const at = String(4_102_444_800_000); // 2100-01-01, the same absolute expiry on both servers
  const cmds: Arg[][] = [['SELECT', '0']];
  cmds.push(['SET', 's:text', 'compressible text '.repeat(300)], ['SET', 's:random', rand(3000)], ['SET', 's:21', 'a'.repeat(21)]);
  cmds.push(['SET', 's:int', '12345'], ['SET', 's:short', 'short'], ['SET', 's:big', Buffer.concat([rand(2000), Buffer.alloc(500_000, 'q'), rand(5000)])]);
  cmds.push(['SET', 's:ttl', 'expiring value expiring value expiring value'], ['PEXPIREAT', 's:ttl', at]);
  for (let i = 0; i < 2000; i += 100) cmds.push(['RPUSH', 'l:nodes', ...Array.from({ length: 100 }, (_, j) => `element ${(i + j) % 77} of the list`)]);
  cmds.push(['RPUSH', 'l:ints', ...Array.from({ length: 300 }, (_, i) => String(i * 1000))], ['PEXPIREAT', 'l:ints', at]);
  cmds.push(['HSET', 'h:lp', ...Array.from({ length: 80 }, (_, i) => [`field${i}`, `value ${i % 6} value`]).flat()]);
  cmds.push(['SADD', 'set:16', ...Array.from({ length: 200 }, (_, i) => String(i))], ['SADD', 'set:64', ...Array.from({ length: 50 }, (_, i) => String(2 ** 50 + i))]);
  cmds.push(['ZADD', 'z:lp', ...Array.from({ length: 100 }, (_, i) => [String(i % 10), `member ${i}`]).flat()]);
  cmds.push(['ZADD', 'z:sl', ...Array.from({ length: 200 }, (_, i) => [String(i * 1.5), `a long member name number ${i}`]).flat()]);
  for (let i = 1; i <= 600; i++) cmds.push(['XADD', 'x', `1700000000000-${i}`, 'sensor', `s${i % 5}`, 'value', String(i % 100)]);
  cmds.push(['XGROUP', 'CREATE', 'x', 'g', '0']);
  cmds.push(['SELECT', '3'], ['SET', 'db3:text', 'another database, another text '.repeat(20)], ['RPUSH', 'db3:list', ...Array.from({ length: 50 }, () => 'same')]);
  return cmds;
}

interface RdbParts {
  aux: [string, string][];
  /** Per database, in file order: the resize-db sizes, then each key's record (sorted). */
  dbs: string[][];
}

/**
 * Splits an RDB file into its header fields and its key records. A record's value ends where the
 * key's DUMP payload (from the same server) says, so no value needs decoding here.
 */
function splitRdb(file: Buffer, dumps: Map<string, Buffer>): RdbParts {
  let pos = 9;
  const length = (): number => {
    const b = file[pos++];
    if (b >> 6 === 0) return b & 0x3f;
    if (b >> 6 === 1) return ((b & 0x3f) << 8) | file[pos++];
    if (b === 0x80) return file.readUInt32BE((pos += 4) - 4);
    throw new Error(`length byte 0x${b.toString(16)} at ${pos - 1}`);
  };
  const string = (): string => {
    const b = file[pos];
    if (b === 0xc0) return String(file.readInt8((pos += 2) - 1));
    if (b === 0xc1) return String(file.readInt16LE((pos += 3) - 2));
    if (b === 0xc2) return String(file.readInt32LE((pos += 5) - 4));
    const n = length();
    return file.latin1Slice(pos, (pos += n));
  };
  const parts: RdbParts = { aux: [], dbs: [] };
  let db: string[] = [];
  for (;;) {
    const op = file[pos++];
    if (op === 0xff) break;
    if (op === 0xfa) {
      const name = string();
      const value = string();
      parts.aux.push([name, VARYING_AUX.has(name) ? '*' : value]);
    } else if (op === 0xfe) {
      db = [`db ${length()}`];
      parts.dbs.push(db);
    } else if (op === 0xfb) {
      db.push(`sizes ${length()} ${length()}`);
    } else {
      const start = pos - 1;
      if (op === 0xfc) pos += 9; // expiry in ms, then the type byte
      const key = string();
      pos += dumps.get(key)!.length - 11; // the payload less its type byte, version and CRC
      db.push(file.subarray(start, pos).toString('hex'));
    }
  }
  expect(pos + 8).toBe(file.length);
  for (const d of parts.dbs) d.splice(2, d.length - 2, ...d.slice(2).sort());
  return parts;
}

describe.skipIf(!hasRedisServer)('RDB files: SAVE with rdbcompression equals redis-server 7.0\'s', () => {
  if (!hasRedisServer) console.warn(REDIS_MISSING);
  let redis: RealRedis;
  let redix: RedixServer;
  let redixDir: string;

  beforeAll(async () => {
    redixDir = mkdtempSync(join(tmpdir(), 'redix-lzf-rdb-'));
    redis = await startRedisServer();
    redix = await startRedix({ dir: redixDir, dbfilename: 'dump.rdb' });
  });
  afterAll(async () => {
    await redix?.shutdown({ nosave: true });
    await redis?.stop();
    rmSync(redixDir, { recursive: true, force: true });
  });

  /** Loads the dataset, SAVEs, and returns the file with every key's DUMP. */
  async function saveDataset(port: number, path: string): Promise<{ file: Buffer; dumps: Map<string, Buffer> }> {
    const conn = await RawConnection.connect(port);
    try {
      await pipeline(conn, datasetCommands());
      const dumps = new Map<string, Buffer>();
      for (const db of ['0', '3']) {
        await call(conn, ['SELECT', db]);
        const keys = (await call(conn, ['KEYS', '*'])).children!.map((k) => bulk(k)!.toString('latin1'));
        for (const k of keys) dumps.set(k, bulk(await call(conn, ['DUMP', k]))!);
      }
      expect((await conn.command(['SAVE'])).toString()).toBe('+OK\r\n');
      return { file: readFileSync(path), dumps };
    } finally {
      conn.close();
    }
  }

  it('same header fields, databases, sizes and key records byte for byte; redis-check-rdb accepts ours', async () => {
    const theirs = await saveDataset(redis.port, join(redis.dir, 'dump.rdb'));
    const ours = await saveDataset(redix.port, join(redixDir, 'dump.rdb'));
    expect([...ours.dumps.keys()].sort()).toEqual([...theirs.dumps.keys()].sort());
    const expected = splitRdb(theirs.file, theirs.dumps);
    expect(expected.dbs.flat().filter((r) => r.includes('c3')).length).toBeGreaterThan(5); // LZF in use
    expect(splitRdb(ours.file, ours.dumps)).toEqual(expected);
    if (hasCheckRdb) {
      const run = spawnSync('redis-check-rdb', [join(redixDir, 'dump.rdb')], { encoding: 'utf8' });
      expect(run.stdout).toContain('RDB looks OK');
    }
  });
});
