import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedixServer, type RedixConfig } from '../../src/index';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';

const MANIFEST = 'appendonly.aof.manifest';

/** In-process servers on a temp directory: layout, restart, rewrite, run-time switches, loading. */
describe('aof persistence', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'redix-aof-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async function start(dir: string, extra: RedixConfig = {}): Promise<{ server: RedixServer; client: Redis; stop: () => Promise<void> }> {
    // These tests read the command-format base; the RDB base (Redis's default) has tests of its own.
    const server = await startRedix({ dir, appendonly: 'yes', aofUseRdbPreamble: 'no', ...extra });
    const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    await client.connect();
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      client.disconnect();
      await server.shutdown();
    };
    cleanups.push(stop);
    return { server, client, stop };
  }

  /** Writes an AOF directory by hand: a manifest and files of raw bytes. */
  function writeAofDir(dir: string, files: [name: string, type: 'b' | 'i', bytes: Buffer][]): string {
    const aofDir = join(dir, 'appendonlydir');
    mkdirSync(aofDir, { recursive: true });
    let manifest = '';
    files.forEach(([name, type, bytes], i) => {
      writeFileSync(join(aofDir, name), bytes);
      manifest += `file ${name} seq ${type === 'b' ? 1 : i} type ${type}\n`;
    });
    writeFileSync(join(aofDir, MANIFEST), manifest);
    return aofDir;
  }

  const cmds = (...commands: string[][]) => Buffer.concat(commands.map((c) => encodeCommand(c)));

  it('creates the Redis 7 layout and restores the data on restart', async () => {
    const dir = tempDir();
    const first = await start(dir, { appendfsync: 'always' });
    await first.client.set('k1', 'v1');
    await first.client.hset('h', 'f1', 'a', 'f2', 'b');
    await first.client.select(3);
    await first.client.set('k3', 'v3');
    const aofDir = join(dir, 'appendonlydir');
    expect(readdirSync(aofDir).sort()).toEqual(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', MANIFEST]);
    expect(readFileSync(join(aofDir, MANIFEST), 'utf8')).toBe('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(readFileSync(join(aofDir, 'appendonly.aof.1.incr.aof'), 'latin1')).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$2\r\nk1\r\n$2\r\nv1\r\n'
      + '*6\r\n$4\r\nhset\r\n$1\r\nh\r\n$2\r\nf1\r\n$1\r\na\r\n$2\r\nf2\r\n$1\r\nb\r\n'
      + '*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*3\r\n$3\r\nset\r\n$2\r\nk3\r\n$2\r\nv3\r\n',
    );
    const info = await first.client.info('persistence');
    expect(info).toContain('aof_enabled:1\r\n');
    expect(info).toMatch(/aof_current_size:\d+\r\n/);
    await first.stop();

    const second = await start(dir);
    expect(await second.client.get('k1')).toBe('v1');
    expect(await second.client.hgetall('h')).toEqual({ f1: 'a', f2: 'b' });
    await second.client.select(3);
    expect(await second.client.get('k3')).toBe('v3');
    const info2 = await second.client.info('persistence');
    expect(info2).toContain('\r\nloading:0\r\n');
    // The replayed writes count as changes not yet saved, as in Redis (HSET counts one per field).
    expect(info2).toContain('rdb_changes_since_last_save:4\r\n');
  });

  it('BGREWRITEAOF writes a compact base with TTLs, switches the manifest and deletes old files', async () => {
    const dir = tempDir();
    const { client, stop } = await start(dir);
    for (let round = 0; round < 20; round++) {
      const pipeline = client.pipeline();
      for (let i = 0; i < 1000; i++) pipeline.set(`key:${i}`, `round${round}-${i}`);
      await pipeline.exec();
    }
    await client.pexpireat('key:7', Date.now() + 3_600_000);
    const aofDir = join(dir, 'appendonlydir');
    const sizeBefore = dirSize(aofDir);
    expect(await client.bgrewriteaof()).toBe('Background append only file rewriting started');
    await client.set('after', 'rewrite');
    await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
    const info = await client.info('persistence');
    expect(info).toContain('aof_last_bgrewrite_status:ok');
    expect(info).toContain('aof_rewrites:1');
    expect(readFileSync(join(aofDir, MANIFEST), 'utf8')).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    await waitFor(() => readdirSync(aofDir).length === 3);
    expect(readdirSync(aofDir).sort()).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', MANIFEST]);
    expect(dirSize(aofDir)).toBeLessThan(sizeBefore / 5);
    const base = readFileSync(join(aofDir, 'appendonly.aof.2.base.aof'), 'latin1');
    expect(base.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n')).toBe(true);
    expect(base).toContain('*3\r\n$9\r\nPEXPIREAT\r\n$5\r\nkey:7\r\n');
    const ttl = await client.pttl('key:7');
    await stop();

    const again = await start(dir);
    expect(await again.client.dbsize()).toBe(1001);
    expect(await again.client.get('key:999')).toBe('round19-999');
    expect(await again.client.get('after')).toBe('rewrite');
    const ttlAfter = await again.client.pttl('key:7');
    expect(ttlAfter).toBeGreaterThan(ttl - 5000);
    expect(ttlAfter).toBeLessThanOrEqual(ttl);
  });

  it('keeps serving and loses no write while a long rewrite runs', async () => {
    const dir = tempDir();
    const { client, stop } = await start(dir);
    const keys = 150_000;
    for (let start = 0; start < keys; start += 10_000) {
      const pipeline = client.pipeline();
      for (let i = start; i < start + 10_000; i++) pipeline.hset(`h:${i}`, 'a', `${i}`, 'b', 'x'.repeat(40));
      await pipeline.exec();
    }
    expect(await client.bgrewriteaof()).toBe('Background append only file rewriting started');
    await expect(client.bgrewriteaof()).rejects.toThrow('Background append only file rewriting already in progress');
    let during = 0;
    let sawInProgress = false;
    let worstMs = 0;
    while ((await client.info('persistence')).includes('aof_rewrite_in_progress:1')) {
      sawInProgress = true;
      const t0 = performance.now();
      await client.incr('counter');
      await client.hset(`h:${during}`, 'a', 'changed');
      worstMs = Math.max(worstMs, performance.now() - t0);
      during++;
    }
    expect(sawInProgress).toBe(true);
    expect(during).toBeGreaterThan(5);
    // Replies keep flowing: no pause much longer than a slice (generous for slow CI machines).
    expect(worstMs).toBeLessThan(1000);
    expect((await client.info('persistence'))).toContain('aof_last_bgrewrite_status:ok');
    await stop();

    const again = await start(dir);
    expect(await again.client.dbsize()).toBe(keys + 1);
    expect(await again.client.get('counter')).toBe(String(during));
    expect(await again.client.hget(`h:${during - 1}`, 'a')).toBe('changed');
    expect(await again.client.hget(`h:${during}`, 'a')).toBe(String(during));
    expect(await again.client.hget(`h:${keys - 1}`, 'b')).toBe('x'.repeat(40));
  });

  it('CONFIG SET appendonly yes writes a base of the dataset first; no turns it off', async () => {
    const dir = tempDir();
    const { client, stop } = await start(dir, { appendonly: 'no' });
    await client.set('before', '1');
    await client.select(2);
    await client.set('db2', 'x');
    expect(existsSync(join(dir, 'appendonlydir'))).toBe(false);
    expect(await client.config('SET', 'appendonly', 'yes')).toBe('OK');
    await client.set('while', 'enabling');
    await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
    const aofDir = join(dir, 'appendonlydir');
    expect(readFileSync(join(aofDir, MANIFEST), 'utf8')).toBe('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(readdirSync(aofDir).sort()).toEqual(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', MANIFEST]);
    await client.set('after', 'enabled');
    expect(await client.config('SET', 'appendonly', 'no')).toBe('OK');
    expect(await client.info('persistence')).toContain('aof_enabled:0');
    await client.set('not-logged', 'x');
    await stop();

    const again = await start(dir);
    expect(await again.client.get('before')).toBe('1');
    await again.client.select(2);
    expect(await again.client.get('db2')).toBe('x');
    expect(await again.client.get('while')).toBe('enabling');
    expect(await again.client.get('after')).toBe('enabled');
    expect(await again.client.exists('not-logged')).toBe(0);
  });

  it('turning AOF off and on again writes a new base that covers what happened meanwhile', async () => {
    const dir = tempDir();
    const { client, stop } = await start(dir);
    await client.set('a', '1');
    expect(await client.config('SET', 'appendonly', 'no')).toBe('OK');
    await client.set('meanwhile', '2');
    await client.del('a');
    expect(await client.config('SET', 'appendonly', 'yes')).toBe('OK');
    await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
    await client.set('after', '3');
    const aofDir = join(dir, 'appendonlydir');
    expect(readFileSync(join(aofDir, MANIFEST), 'utf8')).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    await waitFor(() => readdirSync(aofDir).length === 3);
    await stop();

    const again = await start(dir);
    expect(await again.client.mget('a', 'meanwhile', 'after')).toEqual([null, '2', '3']);
  });

  it('CONFIG SET appendonly yes fails cleanly when the AOF directory cannot be created', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'appendonlydir'), 'a file where the directory should be');
    const { client } = await start(dir, { appendonly: 'no' });
    await expect(client.config('SET', 'appendonly', 'yes')).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
    );
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await client.info('persistence')).toContain('aof_enabled:0');
    await client.set('still', 'works');
    expect(await client.get('still')).toBe('works');
  });

  it('aof-use-rdb-preamble yes writes the base in RDB format (.base.rdb), which loads back', async () => {
    const dir = tempDir();
    const { client, stop } = await start(dir);
    await client.set('s', 'v');
    await client.hset('h', 'f', 'x');
    await client.set('ttl', 'x', 'PX', 3_600_000);
    await client.select(9);
    await client.set('n', '12345');
    expect(await client.config('SET', 'aof-use-rdb-preamble', 'yes')).toBe('OK');
    expect(await client.bgrewriteaof()).toBe('Background append only file rewriting started');
    await client.set('after', 'rewrite');
    await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
    const aofDir = join(dir, 'appendonlydir');
    expect(readFileSync(join(aofDir, MANIFEST), 'utf8')).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    const base = readFileSync(join(aofDir, 'appendonly.aof.2.base.rdb'));
    expect(base.latin1Slice(0, 9)).toBe('REDIS0010');
    expect(base.includes(Buffer.from('aof-base'))).toBe(true);
    await stop();

    const again = await start(dir);
    expect(await again.client.get('s')).toBe('v');
    expect(await again.client.hget('h', 'f')).toBe('x');
    expect(await again.client.pttl('ttl')).toBeGreaterThan(3_500_000);
    await again.client.select(9);
    expect(await again.client.get('n')).toBe('12345');
    expect(await again.client.get('after')).toBe('rewrite');
  });

  it('BGREWRITEAOF with appendonly no writes a base only', async () => {
    const dir = tempDir();
    const { client } = await start(dir, { appendonly: 'no' });
    await client.set('a', '1');
    expect(await client.bgrewriteaof()).toBe('Background append only file rewriting started');
    await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
    const aofDir = join(dir, 'appendonlydir');
    expect(readFileSync(join(aofDir, MANIFEST), 'utf8')).toBe('file appendonly.aof.1.base.aof seq 1 type b\n');
    expect(readFileSync(join(aofDir, 'appendonly.aof.1.base.aof'), 'latin1')).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n');
  });

  it('rewrites automatically when the AOF doubled since the last rewrite', async () => {
    const dir = tempDir();
    const { client } = await start(dir, { autoAofRewriteMinSize: '10kb', autoAofRewritePercentage: 100 });
    for (let i = 0; i < 300; i++) await client.set('same-key', 'v'.repeat(100));
    await waitFor(async () => /aof_rewrites:[1-9]/.test(await client.info('persistence')));
    await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
    expect(await client.get('same-key')).toBe('v'.repeat(100));
  });

  it('cuts off a torn last command (aof-load-truncated yes) and refuses with no', async () => {
    const good = cmds(['SELECT', '0'], ['SET', 'a', '1'], ['SET', 'b', '2']);
    const torn = Buffer.concat([good, cmds(['SET', 'c', '3']).subarray(0, 9)]);
    const refusingDir = tempDir();
    writeAofDir(refusingDir, [['appendonly.aof.1.base.aof', 'b', Buffer.alloc(0)], ['appendonly.aof.1.incr.aof', 'i', torn]]);
    await expect(startRedix({ dir: refusingDir, appendonly: 'yes', aofLoadTruncated: 'no' })).rejects.toThrow(
      `Unexpected end of file reading the append only file ${join(refusingDir, 'appendonlydir', 'appendonly.aof.1.incr.aof')} (the last complete command ends at offset ${good.length})`,
    );

    const dir = tempDir();
    const aofDir = writeAofDir(dir, [['appendonly.aof.1.base.aof', 'b', Buffer.alloc(0)], ['appendonly.aof.1.incr.aof', 'i', torn]]);
    const { client } = await start(dir);
    expect(await client.mget('a', 'b', 'c')).toEqual(['1', '2', null]);
    const repaired = readFileSync(join(aofDir, 'appendonly.aof.1.incr.aof'));
    // Truncated to the last good command, then appended to.
    expect(repaired.subarray(0, good.length).equals(good)).toBe(true);
    await client.set('d', '4');
    await waitFor(() => statSync(join(aofDir, 'appendonly.aof.1.incr.aof')).size > good.length);
  });

  it('refuses a file corrupt in the middle, naming the file and the byte offset', async () => {
    const head = cmds(['SET', 'a', '1']);
    const bytes = Buffer.concat([head, Buffer.from('garbage\r\n'), cmds(['SET', 'b', '2'])]);
    const dir = tempDir();
    writeAofDir(dir, [['appendonly.aof.1.base.aof', 'b', bytes], ['appendonly.aof.1.incr.aof', 'i', Buffer.alloc(0)]]);
    await expect(startRedix({ dir, appendonly: 'yes' })).rejects.toThrow(
      `Bad file format reading the append only file ${join(dir, 'appendonlydir', 'appendonly.aof.1.base.aof')} at offset ${head.length} (expected '*', got 'g')`,
    );
    const unknown = tempDir();
    writeAofDir(unknown, [['appendonly.aof.1.base.aof', 'b', Buffer.concat([head, cmds(['NOSUCHCOMMAND', 'x'])])]]);
    await expect(startRedix({ dir: unknown, appendonly: 'yes' })).rejects.toThrow(`Unknown command 'NOSUCHCOMMAND' (or wrong number of arguments) reading the append only file ${join(unknown, 'appendonlydir', 'appendonly.aof.1.base.aof')} at offset ${head.length}`);
  });

  it('replays MULTI/EXEC blocks and drops an unfinished one at the end', async () => {
    const committed = cmds(['SELECT', '1'], ['MULTI'], ['SET', 'a', '1'], ['INCR', 'n'], ['EXEC']);
    const bytes = Buffer.concat([committed, cmds(['MULTI'], ['SET', 'b', '2'])]);
    const dir = tempDir();
    const aofDir = writeAofDir(dir, [['appendonly.aof.1.base.aof', 'b', Buffer.alloc(0)], ['appendonly.aof.1.incr.aof', 'i', bytes]]);
    const { client } = await start(dir);
    await client.select(1);
    expect(await client.mget('a', 'n', 'b')).toEqual(['1', '1', null]);
    expect(statSync(join(aofDir, 'appendonly.aof.1.incr.aof')).size).toBe(committed.length);
  });

  it('answers -LOADING and INFO loading:1 while a big AOF loads', async () => {
    const dir = tempDir();
    const parts: Buffer[] = [];
    for (let i = 0; i < 300_000; i++) parts.push(encodeCommand(['SET', `key:${i}`, `value:${i}`]));
    writeAofDir(dir, [['appendonly.aof.1.base.aof', 'b', Buffer.concat(parts)]]);
    const server = new RedixServer({ port: 0, bind: '127.0.0.1', save: '', dir, appendonly: 'yes' }, { silent: true });
    const starting = server.start();
    cleanups.push(async () => {
      await starting.catch(() => undefined);
      await server.shutdown();
    });
    while (server.port === 0) await new Promise((r) => setTimeout(r, 1));
    const conn = await RawConnection.connect(server.port);
    cleanups.push(() => conn.close());
    const reply = (await conn.command(['GET', 'key:1'])).toString();
    const info = (await conn.command(['INFO', 'persistence'])).toString();
    await starting;
    expect(reply).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    expect(info).toContain('\r\nloading:1\r\n');
    expect(info).toMatch(/loading_loaded_perc:\d+\.\d\d\r\n/);
    expect((await conn.command(['GET', 'key:299999'])).toString()).toBe('$12\r\nvalue:299999\r\n');
  });

  it('migrates an old-style appendonly.aof into the AOF directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'appendonly.aof'), cmds(['SET', 'old', 'style']));
    const { client } = await start(dir);
    expect(await client.get('old')).toBe('style');
    const aofDir = join(dir, 'appendonlydir');
    expect(readFileSync(join(aofDir, MANIFEST), 'utf8')).toBe('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(existsSync(join(dir, 'appendonly.aof'))).toBe(false);
  });
});

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}
