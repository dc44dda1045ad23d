import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RedixServer } from '../../src/index';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { makeTempDir, removeDir, startRealRedis, waitFor } from './aof-test-support';

/**
 * INFO persistence against a real redis-server 7.0: the same field names in the same order, with
 * AOF off, on, and while an AOF or an RDB file is being loaded (when the loading_* fields appear).
 */
describe.skipIf(!hasRedisServer)('INFO persistence fields as redis-server 7.0 prints them', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function tempDir(): string {
    const d = makeTempDir('redix-persistence-info-');
    cleanups.push(() => removeDir(d));
    return d;
  }

  async function infoOf(port: number): Promise<string> {
    const conn = await RawConnection.connect(port);
    try {
      return (await conn.command(['INFO', 'persistence'])).toString('latin1');
    } finally {
      conn.close();
    }
  }

  /** "name:value" lines of an INFO reply, as [name, value] pairs. */
  function fields(info: string): [string, string][] {
    return info.split('\r\n').filter((l) => l.includes(':') && !l.startsWith('$')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]);
  }

  const names = (info: string) => fields(info).map(([n]) => n);

  async function real(dir: string, args: string[]): Promise<number> {
    const p = await startRealRedis(dir, args);
    cleanups.push(() => p.kill());
    return p.port;
  }

  async function redix(dir: string, settings: Parameters<typeof startRedix>[0]): Promise<number> {
    const s = await startRedix({ dir, ...settings });
    cleanups.push(() => s.shutdown({ nosave: true }));
    return s.port;
  }

  it.each([['no'], ['yes']])('appendonly %s: the same fields in the same order', async (appendonly) => {
    const expected = await infoOf(await real(tempDir(), ['--appendonly', appendonly]));
    const ours = await infoOf(await redix(tempDir(), { appendonly }));
    expect(names(ours)).toEqual(names(expected));
    // Plausible values: same where they cannot differ between two fresh servers.
    const stable = new Set(['loading', 'aof_enabled', 'rdb_bgsave_in_progress', 'aof_rewrite_in_progress', 'rdb_last_bgsave_status', 'aof_last_bgrewrite_status', 'aof_last_write_status', 'rdb_changes_since_last_save', 'aof_rewrites']);
    const pick = (info: string) => fields(info).filter(([n]) => stable.has(n));
    expect(pick(ours)).toEqual(pick(expected));
  });

  /**
   * Sends GET and INFO in one write until INFO says loading:1; both ran in the same turn, so the
   * GET was answered while loading too.
   */
  async function probeWhileLoading(port: number): Promise<{ info: string; get: string }> {
    let seen = { info: '', get: '' };
    await waitFor(async () => {
      const conn = await RawConnection.connect(port).catch(() => null);
      if (conn === null) return false;
      try {
        conn.write(Buffer.concat([encodeCommand(['GET', 'key:1']), encodeCommand(['INFO', 'persistence'])]));
        const [get, info] = await conn.readReplies(2);
        seen = { info: info.toString('latin1'), get: get.toString('latin1') };
      } finally {
        conn.close();
      }
      return seen.info.includes('\r\nloading:1\r\n');
    }, 30_000);
    return seen;
  }

  const LOADING = '-LOADING Redis is loading the dataset in memory\r\n';

  it('while an AOF loads: loading:1, the loading_* fields, and clients get -LOADING', async () => {
    const dir = tempDir();
    const aofDir = join(dir, 'appendonlydir');
    mkdirSync(aofDir);
    const parts: Buffer[] = [];
    for (let i = 0; i < 300_000; i++) parts.push(encodeCommand(['SET', `key:${i}`, `value:${i}`]));
    writeFileSync(join(aofDir, 'appendonly.aof.1.base.aof'), Buffer.concat(parts));
    writeFileSync(join(aofDir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\n');
    const redisDir = tempDir();
    mkdirSync(join(redisDir, 'appendonlydir'));
    for (const f of ['appendonly.aof.1.base.aof', 'appendonly.aof.manifest']) copyFileSync(join(aofDir, f), join(redisDir, 'appendonlydir', f));

    // key-load-delay keeps the real server loading long enough to look. A negative value sleeps
    // 1 µs for one key in ten: a usleep costs ~150 µs here, so a positive delay per key would
    // stretch 300k keys past the test's timeout.
    const port = await real(redisDir, ['--appendonly', 'yes', '--key-load-delay', '-10']);
    const expected = await probeWhileLoading(port);
    const ourPort = await startLoading(dir, { appendonly: 'yes' });
    const ours = await probeWhileLoading(ourPort);
    expect(names(ours.info)).toEqual(names(expected.info));
    expect(ours.get).toBe(expected.get);
    expect(ours.get).toBe(LOADING);

    // Once loaded: the replayed writes count as changes not saved to an RDB yet, as in Redis.
    const loaded = async (p: number) => {
      let info = '';
      await waitFor(async () => (info = await infoOf(p)).includes('\r\nloading:0\r\n'), 60_000);
      const wanted = new Set(['loading', 'aof_enabled', 'rdb_changes_since_last_save', 'rdb_last_load_keys_loaded', 'aof_rewrite_in_progress']);
      return fields(info).filter(([n]) => wanted.has(n));
    };
    const [a, b] = await Promise.all([loaded(port), loaded(ourPort)]);
    expect(b).toEqual(a);
    expect(Object.fromEntries(b).rdb_changes_since_last_save).toBe('300000');
  });

  it('while an RDB dump loads (and an AOF whose base is RDB): loading:1, loading_* fields, -LOADING', async () => {
    // A dump of 400k keys written by a real redis-server.
    const source = tempDir();
    const maker = await real(source, ['--enable-debug-command', 'yes']);
    const conn = await RawConnection.connect(maker);
    expect((await conn.command(['DEBUG', 'POPULATE', '400000', 'key', '20'], 60_000)).toString()).toBe('+OK\r\n');
    expect((await conn.command(['SAVE'], 60_000)).toString()).toBe('+OK\r\n');
    conn.close();

    const redisDir = tempDir();
    copyFileSync(join(source, 'dump.rdb'), join(redisDir, 'dump.rdb'));
    const expected = await probeWhileLoading(await real(redisDir, ['--key-load-delay', '-10']));
    const dir = tempDir();
    copyFileSync(join(source, 'dump.rdb'), join(dir, 'dump.rdb'));
    const ours = await probeWhileLoading(await startLoading(dir, {}));
    expect(names(ours.info)).toEqual(names(expected.info));
    expect(ours.info).toMatch(/loading_loaded_perc:\d+\.\d\d\r\n/);
    expect(ours.get).toBe(expected.get);
    expect(ours.get).toBe(LOADING);

    // The same dump as the RDB base of an AOF directory (aof-use-rdb-preamble yes, Redis's default).
    const aofDir = tempDir();
    mkdirSync(join(aofDir, 'appendonlydir'));
    copyFileSync(join(source, 'dump.rdb'), join(aofDir, 'appendonlydir', 'appendonly.aof.1.base.rdb'));
    writeFileSync(join(aofDir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\n');
    const redisAofDir = tempDir();
    mkdirSync(join(redisAofDir, 'appendonlydir'));
    for (const f of ['appendonly.aof.1.base.rdb', 'appendonly.aof.manifest']) copyFileSync(join(aofDir, 'appendonlydir', f), join(redisAofDir, 'appendonlydir', f));
    const expectedFromAof = await probeWhileLoading(await real(redisAofDir, ['--appendonly', 'yes', '--key-load-delay', '-10']));
    const fromAof = await probeWhileLoading(await startLoading(aofDir, { appendonly: 'yes' }));
    expect(names(fromAof.info)).toEqual(names(expectedFromAof.info));
    expect(fromAof.info).toMatch(/loading_loaded_perc:\d+\.\d\d\r\n/);
    expect(fromAof.get).toBe(LOADING);
  });

  /** Starts Redix in-process without waiting for its load to finish; resolves with its port. */
  async function startLoading(dir: string, settings: Record<string, string>): Promise<number> {
    const server = new RedixServer({ port: 0, bind: '127.0.0.1', save: '', dir, ...settings }, { silent: true });
    const starting = server.start();
    cleanups.push(async () => {
      await starting.catch(() => undefined);
      await server.shutdown({ nosave: true });
    });
    while (server.port === 0) {
      await Promise.race([starting, new Promise((r) => setTimeout(r, 1))]);
    }
    return server.port;
  }
});

if (!hasRedisServer) console.warn(REDIS_MISSING);
