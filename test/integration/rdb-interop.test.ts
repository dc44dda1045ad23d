import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError, type RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { REDIS_MISSING, hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { bulk, call, datasetCommands, pipeline, readDataset, waitForBgsave } from './rdb-dataset';

const hasCheckRdb = spawnSync('redis-check-rdb', ['--version']).status === 0 || spawnSync('which', ['redis-check-rdb']).status === 0;

function checkRdb(path: string): { ok: boolean; output: string } {
  const run = spawnSync('redis-check-rdb', [path], { encoding: 'utf8' });
  return { ok: run.status === 0 && run.stdout.includes('RDB looks OK'), output: run.stdout + run.stderr };
}

describe.skipIf(!hasRedisServer)('RDB interop with redis-server 7.0', () => {
  if (!hasRedisServer) console.warn(REDIS_MISSING);
  const dirs: string[] = [];
  const servers: (RealRedis | RedixServer)[] = [];
  let redis: RealRedis;
  let redisData: Map<string, string>;

  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'redix-rdb-interop-'));
    dirs.push(d);
    return d;
  };
  const redix = async (settings: Parameters<typeof startRedix>[0]) => {
    const s = await startRedix(settings);
    servers.push(s);
    return s;
  };
  /** A real redis-server that loads `dbfilename` from `dir`. */
  const redisLoading = async (dir: string) => {
    const r = await startRedisServer(['--dir', dir, '--dbfilename', 'dump.rdb']);
    servers.push(r);
    return r;
  };

  beforeAll(async () => {
    redis = await startRedisServer(['--hash-max-listpack-value', '64']);
    servers.push(redis);
    const conn = await RawConnection.connect(redis.port);
    await pipeline(conn, datasetCommands());
    conn.close();
    redisData = await readDataset(redis.port);
  });

  afterAll(async () => {
    for (const s of servers) {
      if ('shutdown' in s) await s.shutdown({ nosave: true });
      else await s.stop();
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('loads a dump written by redis-server with identical data', async () => {
    const conn = await RawConnection.connect(redis.port);
    expect((await conn.command(['SAVE'])).toString()).toBe('+OK\r\n');
    conn.close();
    const dir = tempDir();
    copyFileSync(join(redis.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
    const server = await redix({ dir, dbfilename: 'dump.rdb' });
    const loaded = await readDataset(server.port);
    expect(loaded.size).toBe(redisData.size);
    expect(loaded).toEqual(redisData);
    // the small hash really was a listpack in the file, the big ones hash tables
    expect(readFileSync(join(dir, 'dump.rdb')).includes(Buffer.from([16, 7, ...Buffer.from('h:small')]))).toBe(true);
  });

  it('loads a dump redis-server wrote with rdbcompression no and rdbchecksum no (zero checksum)', async () => {
    const plain = await startRedisServer(['--hash-max-listpack-value', '64', '--rdbcompression', 'no', '--rdbchecksum', 'no']);
    servers.push(plain);
    const conn = await RawConnection.connect(plain.port);
    await pipeline(conn, datasetCommands());
    expect((await conn.command(['SAVE'])).toString()).toBe('+OK\r\n');
    conn.close();
    const bytes = readFileSync(join(plain.dir, 'dump.rdb'));
    expect(bytes.subarray(bytes.length - 8).equals(Buffer.alloc(8))).toBe(true);
    expect(bytes.includes(Buffer.from('abc'.repeat(5000)))).toBe(true);
    for (const rdbchecksum of [true, false]) {
      const dir = tempDir();
      writeFileSync(join(dir, 'dump.rdb'), bytes);
      const server = await redix({ dir, dbfilename: 'dump.rdb', rdbchecksum });
      expect(await readDataset(server.port)).toEqual(redisData);
    }
  });

  for (const [label, settings] of [
    ['SAVE', { rdbcompression: true, rdbchecksum: true }],
    ['SAVE without compression or checksum', { rdbcompression: false, rdbchecksum: false }],
  ] as const) {
    it(`writes dumps with ${label} that redis-check-rdb accepts and redis-server loads identically`, async () => {
      const dir = tempDir();
      const server = await redix({ dir, dbfilename: 'dump.rdb', ...settings });
      const conn = await RawConnection.connect(server.port);
      await pipeline(conn, datasetCommands());
      expect((await conn.command(['SAVE'])).toString()).toBe('+OK\r\n');
      conn.close();
      expect(await readDataset(server.port)).toEqual(redisData);
      if (hasCheckRdb) {
        const check = checkRdb(join(dir, 'dump.rdb'));
        expect(check.ok, check.output).toBe(true);
      }
      const loader = await redisLoading(dir);
      expect(await readDataset(loader.port)).toEqual(redisData);
    });
  }

  it('writes BGSAVE dumps that redis-check-rdb accepts and redis-server loads identically', async () => {
    const dir = tempDir();
    const server = await redix({ dir, dbfilename: 'dump.rdb' });
    const conn = await RawConnection.connect(server.port);
    await pipeline(conn, datasetCommands());
    expect((await conn.command(['BGSAVE'])).toString()).toBe('+Background saving started\r\n');
    const info = await waitForBgsave(server.port);
    expect(info.rdb_last_bgsave_status).toBe('ok');
    expect(info.rdb_changes_since_last_save).toBe('0');
    conn.close();
    if (hasCheckRdb) {
      const check = checkRdb(join(dir, 'dump.rdb'));
      expect(check.ok, check.output).toBe(true);
    }
    const loader = await redisLoading(dir);
    expect(await readDataset(loader.port)).toEqual(redisData);
  });

  it('DUMP payloads RESTORE across Redix and Redis in both directions', async () => {
    const dir = tempDir();
    const server = await redix({ dir, dbfilename: 'dump.rdb' });
    const fromRedis = await RawConnection.connect(redis.port);
    const toRedix = await RawConnection.connect(server.port);
    const keys = [...redisData.keys()];
    for (const id of keys) {
      const [db, key] = [id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1)];
      await call(fromRedis, ['SELECT', db]);
      await call(toRedix, ['SELECT', db]);
      const payload = bulk(await call(fromRedis, ['DUMP', key]))!;
      const expireAt = redisData.get(id)!.split('|')[1];
      const ttlArgs = expireAt === '-1' ? ['0'] : [expireAt, 'ABSTTL'];
      const reply = await toRedix.command(['RESTORE', key, ttlArgs[0], payload, 'REPLACE', ...ttlArgs.slice(1)]);
      expect(reply.toString(), key).toBe('+OK\r\n');
    }
    expect(await readDataset(server.port)).toEqual(redisData);

    // ... and back: Redix's payloads into a fresh redis-server.
    const target = await startRedisServer();
    servers.push(target);
    const toRedis = await RawConnection.connect(target.port);
    for (const id of keys) {
      const [db, key] = [id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1)];
      await call(toRedix, ['SELECT', db]);
      await call(toRedis, ['SELECT', db]);
      const payload = bulk(await call(toRedix, ['DUMP', key]))!;
      const expireAt = redisData.get(id)!.split('|')[1];
      const reply = await toRedis.command(['RESTORE', key, expireAt === '-1' ? '0' : expireAt, payload, ...(expireAt === '-1' ? [] : ['ABSTTL'])]);
      expect(reply.toString(), key).toBe('+OK\r\n');
    }
    expect(await readDataset(target.port)).toEqual(redisData);
    for (const c of [fromRedis, toRedix, toRedis]) c.close();
  });

  it('answers DUMP and RESTORE edge cases byte for byte like redis-server', async () => {
    const server = await redix({});
    const a = await RawConnection.connect(redis.port);
    const b = await RawConnection.connect(server.port);
    for (const c of [a, b]) {
      await c.command(['SELECT', '9']);
      await c.command(['FLUSHDB']);
      await c.command(['SET', 'k', 'v']);
      await c.command(['SET', 'n', '12345']);
    }
    const good = bulk(await call(a, ['DUMP', 'k']))!;
    const flipped = Buffer.from(good);
    flipped[2] ^= 1;
    const newer = Buffer.from(good);
    newer[newer.length - 10] = 11;
    const cases: (string | Buffer)[][] = [
      ['DUMP', 'k'], ['DUMP', 'n'], ['DUMP', 'missing'], ['DUMP'],
      ['RESTORE', 'k', '0', good], ['RESTORE', 'k', '-1', good], ['RESTORE', 'x', '-1', good], ['RESTORE', 'x', 'abc', good],
      ['RESTORE', 'x', '0', 'garbage'], ['RESTORE', 'x', '0', flipped], ['RESTORE', 'x', '0', newer], ['RESTORE', 'x', '0', ''],
      ['RESTORE', 'x', '0', good, 'IDLETIME', '1', 'FREQ', '2'], ['RESTORE', 'x', '0', good, 'FREQ', '256'],
      ['RESTORE', 'x', '0', good, 'FREQ', '-1'], ['RESTORE', 'x', '0', good, 'IDLETIME', '-1'], ['RESTORE', 'x', '0', good, 'IDLETIME', 'x'],
      ['RESTORE', 'x', '0', good, 'IDLETIME'], ['RESTORE', 'x', '0', good, 'BOGUS'], ['RESTORE', 'k', '0', good, 'FREQ', '300'],
      ['RESTORE', 'x', '0', good, 'FREQ', '5', 'IDLETIME', '10'], ['RESTORE', 'x', '0', good, 'REPLACE', 'ABSTTL', 'IDLETIME', '10'],
      ['GET', 'x'], ['RESTORE', 'k', '0', good, 'REPLACE', 'FREQ', '100'], ['GET', 'k'],
      ['RESTORE', 'y', '1000', good], ['TTL', 'y'], ['RESTORE', 'z', '1', good, 'ABSTTL'], ['EXISTS', 'z'],
      ['RESTORE', 'k', '1', good, 'ABSTTL', 'REPLACE'], ['EXISTS', 'k'], ['RESTORE', 'k', '0'],
    ];
    for (const args of cases) {
      const [x, y] = await Promise.all([a.command(args), b.command(args)]);
      expect(y.toString('latin1'), args.map(String).join(' ')).toBe(x.toString('latin1'));
    }
    a.close();
    b.close();
  });

  it('refuses a corrupt or truncated dump with one clear error naming the file and offset', async () => {
    const conn = await RawConnection.connect(redis.port);
    await conn.command(['SAVE']);
    conn.close();
    const original = readFileSync(join(redis.dir, 'dump.rdb'));
    const flipped = Buffer.from(original);
    flipped[Math.floor(original.length / 2)] ^= 0x01;
    const cases: [Buffer, RegExp][] = [
      [flipped, /^Bad RDB file .*dump\.rdb: .* \(at byte offset \d+\)$/],
      [original.subarray(0, original.length - 100), /^Bad RDB file .*dump\.rdb: unexpected end of file \(at byte offset \d+\)$/],
      [Buffer.from('REDIS0010\xfe\x00\xfb\x01\x00\x06\x01k\x01\x01v\xff', 'latin1'), /RDB type 6 \(.*\), which no loaded plugin can read \(at byte offset 14\)/],
      [Buffer.from('REDIS0010\xfe\x00\xfb\x01\x00\x0e\x01k\x01\x01v\xff', 'latin1'), /key 'k' \(RDB type 14 \(list \(quicklist\)\)\): corrupt ziplist: .* \(at byte offset 14\)/],
    ];
    for (const [bytes, message] of cases) {
      const dir = tempDir();
      writeFileSync(join(dir, 'dump.rdb'), bytes);
      const started = startRedix({ dir, dbfilename: 'dump.rdb' });
      await expect(started).rejects.toBeInstanceOf(UserError);
      await expect(started).rejects.toThrow(message);
    }
  });
});
