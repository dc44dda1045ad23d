import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCommand } from '../helpers/raw-connection';
import { hasRedisServer } from '../helpers/redis-server';
import { runProcess } from '../helpers/run-process';
import { connect, hasBuiltCli, hasStrace, makeTempDir, removeDir, startRedixProcess, waitFor, type Process } from './aof-test-support';

/**
 * Redix as a separate process (the built CLI: run `npm run build` first), killed with SIGKILL in
 * the middle of a write load. Each writer sends, in order, `SET k:<w>:<i> <i>` then `INCR n:<w>`,
 * pipelined; what a restart finds must contain every acknowledged write, nothing never sent, and
 * no hole or duplicate (n:<w> equals the number of k:<w>:* keys, which form a prefix).
 */
const WRITERS = 4;
const WINDOW = 64;

interface Writer {
  sent: number;
  acked: number;
  stop: boolean;
  done: Promise<void>;
}

function startWriter(client: Redis, w: number, from: number, limit: number): Writer {
  const writer: Writer = { sent: from, acked: from, stop: false, done: Promise.resolve() };
  writer.done = (async () => {
    const inFlight = new Set<Promise<unknown>>();
    while (!writer.stop && writer.sent < limit) {
      const i = writer.sent++;
      const p = Promise.all([client.set(`k:${w}:${i}`, String(i)), client.incr(`n:${w}`)]).then(([, n]) => {
        // Replies arrive in order: the INCR reply is the count of this writer's acknowledged writes.
        writer.acked = Math.max(writer.acked, Number(n));
      }, () => {
        // The connection is gone (the server was killed): stop, or this loop would spin on
        // instantly rejected commands without ever yielding to timers.
        writer.stop = true;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= WINDOW) await Promise.race(inFlight);
    }
    await Promise.allSettled([...inFlight]);
  })();
  return writer;
}

/** Checks each writer's keys against what was sent and acknowledged; returns the count found. */
async function verify(client: Redis, writers: { sent: number; acked: number }[]): Promise<number[]> {
  const found: number[] = [];
  for (let w = 0; w < writers.length; w++) {
    const n = Number((await client.get(`n:${w}`)) ?? '0');
    expect(n, `writer ${w}: acknowledged ${writers[w].acked}, sent ${writers[w].sent}`).toBeGreaterThanOrEqual(writers[w].acked);
    expect(n).toBeLessThanOrEqual(writers[w].sent);
    // The kill may fall between a SET and its INCR: then the SET is the one extra key.
    const keys = await client.keys(`k:${w}:*`);
    const extra = await client.exists(`k:${w}:${n}`);
    expect(keys.length, `writer ${w}: keys vs counter`).toBe(n + extra);
    if (n > 0) expect(await client.get(`k:${w}:${n - 1}`)).toBe(String(n - 1));
    expect(await client.exists(`k:${w}:${n + 1}`)).toBe(0);
    found.push(n);
  }
  return found;
}

describe.skipIf(!hasBuiltCli)('aof crash safety (separate process, SIGKILL)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function redix(dir: string, args: string[], wrapper: string[] = []): Promise<Process> {
    const p = await startRedixProcess(dir, args, wrapper);
    cleanups.push(() => p.kill());
    return p;
  }

  function client(port: number): Redis {
    const c = connect(port);
    c.on('error', () => undefined);
    cleanups.push(() => c.disconnect());
    return c;
  }

  it('appendfsync always: after kill -9 mid-load a restart has every acknowledged write', async () => {
    const dir = makeTempDir('redix-aof-crash-');
    cleanups.push(() => removeDir(dir));
    const args = ['--appendonly', 'yes', '--appendfsync', 'always'];
    const state = Array.from({ length: WRITERS }, () => ({ sent: 0, acked: 0 }));
    for (let round = 0; round < 3; round++) {
      const proc = await redix(dir, args);
      const clients = state.map(() => client(proc.port));
      // Each writer on its own connection, so replies of many clients share a group commit.
      const writers = state.map((s, w) => startWriter(clients[w], w, s.sent, s.sent + 20_000));
      const startedAt = state.map((s) => s.acked);
      await waitFor(() => writers.every((w, i) => w.acked > startedAt[i] + 200), 20_000);
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 300)));
      await proc.kill('SIGKILL');
      for (const w of writers) w.stop = true;
      await Promise.all(writers.map((w) => w.done));
      writers.forEach((w, i) => {
        state[i] = { sent: Math.max(state[i].sent, w.sent), acked: w.acked };
      });

      const restarted = await redix(dir, args);
      const check = client(restarted.port);
      const found = await verify(check, state);
      // Resume each writer after what survived: unacknowledged writes may or may not be there.
      found.forEach((n, w) => {
        state[w] = { sent: n, acked: n };
      });
      await restarted.kill('SIGKILL');
    }
  });

  it('CONFIG SET appendonly yes at run time, then kill -9: a restart has the data from before and after', async () => {
    const dir = makeTempDir('redix-aof-enable-');
    cleanups.push(() => removeDir(dir));
    const proc = await redix(dir, ['--appendonly', 'no', '--appendfsync', 'always']);
    const c = client(proc.port);
    for (let i = 0; i < 500; i++) await c.set(`before:${i}`, String(i));
    await c.hset('h', 'a', '1', 'b', '2');
    expect(await c.config('SET', 'appendonly', 'yes')).toBe('OK');
    await waitFor(async () => (await c.info('persistence')).includes('aof_rewrite_in_progress:0'));
    expect(await c.info('persistence')).toContain('aof_enabled:1');
    for (let i = 0; i < 500; i++) await c.set(`after:${i}`, String(i));
    await c.del('before:0');
    await proc.kill('SIGKILL');

    const restarted = await redix(dir, ['--appendonly', 'yes']);
    const c2 = client(restarted.port);
    expect(await c2.dbsize()).toBe(1000);
    expect(await c2.get('before:499')).toBe('499');
    expect(await c2.get('after:499')).toBe('499');
    expect(await c2.exists('before:0')).toBe(0);
    expect(await c2.hgetall('h')).toEqual({ a: '1', b: '2' });
    // And off again: the files stay as they were, later writes are not logged.
    expect(await c2.config('SET', 'appendonly', 'no')).toBe('OK');
    await c2.set('not-logged', 'x');
    await restarted.kill('SIGKILL');
    const third = await redix(dir, ['--appendonly', 'yes']);
    const c3 = client(third.port);
    expect(await c3.dbsize()).toBe(1000);
    expect(await c3.exists('not-logged')).toBe(0);
  });

  it('a torn tail is repaired on restart and redis-check-aof then accepts the files', async () => {
    const dir = makeTempDir('redix-aof-torn-');
    cleanups.push(() => removeDir(dir));
    const args = ['--appendonly', 'yes', '--appendfsync', 'always'];
    const proc = await redix(dir, args);
    const c = client(proc.port);
    for (let i = 0; i < 100; i++) await c.set(`key:${i}`, `value:${i}`);
    await proc.kill('SIGKILL');
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const goodSize = statSync(incr).size;
    appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$7\r\nkey:100\r\n$9\r\nval');

    const restarted = await redix(dir, args);
    const c2 = client(restarted.port);
    expect(await c2.dbsize()).toBe(100);
    expect(await c2.get('key:99')).toBe('value:99');
    expect(statSync(incr).size).toBe(goodSize);
    expect(restarted.output()).toContain('!!! Truncating the AOF appendonly.aof.1.incr.aof at offset');
    if (hasRedisServer) {
      const check = await runProcess('redis-check-aof', [join(dir, 'appendonlydir', 'appendonly.aof.manifest')]);
      expect(check.stdout).toContain('All AOF files and manifest are valid');
    }
  });

  it('BGREWRITEAOF during a write load loses nothing, shrinks the files, and survives kill -9', async () => {
    const dir = makeTempDir('redix-aof-rewrite-');
    cleanups.push(() => removeDir(dir));
    const args = ['--appendonly', 'yes', '--appendfsync', 'always'];
    const proc = await redix(dir, args);
    const admin = client(proc.port);
    // Overwrites make the log much bigger than the data.
    for (let round = 0; round < 10; round++) {
      const pipeline = admin.pipeline();
      for (let i = 0; i < 5000; i++) pipeline.set(`overwritten:${i}`, `round ${round}`);
      await pipeline.exec();
    }
    const aofDir = join(dir, 'appendonlydir');
    const sizeBefore = readdirSync(aofDir).reduce((s, f) => s + statSync(join(aofDir, f)).size, 0);
    const clients = Array.from({ length: WRITERS }, () => client(proc.port));
    const writers = clients.map((c, w) => startWriter(c, w, 0, 1_000_000));
    await waitFor(() => writers.every((w) => w.acked > 100));
    for (let r = 0; r < 2; r++) {
      expect(await admin.bgrewriteaof()).toBe('Background append only file rewriting started');
      await waitFor(async () => (await admin.info('persistence')).includes('aof_rewrite_in_progress:0'));
      expect(await admin.info('persistence')).toContain('aof_last_bgrewrite_status:ok');
    }
    const mid = writers.map((w) => w.acked);
    await waitFor(() => writers.every((w, i) => w.acked > mid[i] + 100));
    await proc.kill('SIGKILL');
    for (const w of writers) w.stop = true;
    await Promise.all(writers.map((w) => w.done));
    const manifest = readFileSync(join(aofDir, 'appendonly.aof.manifest'), 'utf8');
    expect(manifest).toBe('file appendonly.aof.3.base.aof seq 3 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n');
    expect(readdirSync(aofDir).sort()).toEqual(['appendonly.aof.3.base.aof', 'appendonly.aof.3.incr.aof', 'appendonly.aof.manifest']);
    const base = statSync(join(aofDir, 'appendonly.aof.3.base.aof')).size;
    expect(base).toBeLessThan(sizeBefore / 3);

    const restarted = await redix(dir, args);
    const check = client(restarted.port);
    await verify(check, writers);
    expect(await check.get('overwritten:4999')).toBe('round 9');
  });

  it.skipIf(!hasStrace).each(['always', 'everysec'])('appendfsync %s: no reply leaves before its command was written (and fdatasynced under always) (strace)', async (policy) => {
    const dir = makeTempDir('redix-aof-strace-');
    cleanups.push(() => removeDir(dir));
    const trace = join(dir, 'strace.out');
    // The main thread only (no -f): commands, AOF writes, fdatasync and replies all happen there.
    const proc = await redix(dir, ['--appendonly', 'yes', '--appendfsync', policy], ['strace', '-qq', '-s', '64', '-e', 'trace=write,writev,fdatasync', '-o', trace]);
    const clients = [client(proc.port), client(proc.port), client(proc.port)];
    // Fixed-size commands, so synced AOF bytes tell how many SETs are durable.
    const key = (n: number, i: number) => `key:${n}:${String(i).padStart(3, '0')}`;
    const commandBytes = encodeCommand(['set', key(0, 0), 'value']).length;
    const selectBytes = encodeCommand(['SELECT', '0']).length;
    await Promise.all(clients.map(async (c, n) => {
      for (let i = 0; i < 50; i++) await c.set(key(n, i), 'value');
    }));
    // Stop Redix itself (signalling strace would only detach it).
    const pid = Number(/process_id:(\d+)/.exec(await clients[0].info('server'))![1]);
    process.kill(pid, 'SIGTERM');
    await proc.exited;
    let aofFd = -1;
    let aofBytes = 0;
    let syncedBytes = 0;
    let replies = 0;
    for (const line of readFileSync(trace, 'utf8').split('\n')) {
      const m = /^(write|writev|fdatasync)\((\d+)(?:, \[?\{?(?:iov_base=)?"([^"]*))?.*= (\d+)$/.exec(line);
      if (m === null) continue;
      const [, call, fdText, data = '', result] = m;
      const fd = Number(fdText);
      // An AOF write starts with a multibulk header (libuv's wake-up pipe also writes a lone "*").
      if (call !== 'fdatasync' && /^\*\d+\\r\\n\$/.test(data)) {
        aofFd = fd;
        aofBytes += Number(result);
      } else if (call === 'fdatasync' && fd === aofFd) {
        syncedBytes = aofBytes;
      } else if (call !== 'fdatasync' && data.startsWith('+OK')) {
        replies += data.split('+OK').length - 1;
        const durable = Math.floor(((policy === 'always' ? syncedBytes : aofBytes) - selectBytes) / commandBytes);
        expect(replies, `reply ${replies} written with ${durable} commands durable: ${line}`).toBeLessThanOrEqual(durable);
      }
    }
    expect(aofFd).toBeGreaterThan(2);
    expect(replies).toBe(150);
    expect(aofBytes).toBe(selectBytes + 150 * commandBytes);
  });

  it.skipIf(!hasStrace).each([['everysec', 1, 6], ['no', 0, 0]] as const)('appendfsync %s: the AOF is fdatasynced off the main thread, %i to %i times in ~3 s of writes (strace -f)', async (policy, least, most) => {
    const dir = makeTempDir('redix-aof-fsync-');
    cleanups.push(() => removeDir(dir));
    const trace = join(dir, 'strace.out');
    // Every thread (-f): under everysec the fdatasync runs in libuv's thread pool. -y names each fd's file.
    const proc = await redix(dir, ['--appendonly', 'yes', '--appendfsync', policy], ['strace', '-f', '-y', '-qq', '-e', 'trace=fdatasync,fsync', '-o', trace]);
    const c = client(proc.port);
    const pid = Number(/process_id:(\d+)/.exec(await c.info('server'))![1]);
    const until = Date.now() + 3000;
    let writes = 0;
    while (Date.now() < until) {
      await c.set(`key:${writes}`, 'value');
      writes++;
    }
    process.kill(pid, 'SIGTERM');
    await proc.exited;
    let offMain = 0;
    let onMain = 0;
    for (const line of readFileSync(trace, 'utf8').split('\n')) {
      const m = /^(\d+)\s+(?:fdatasync|fsync)\(\d+<([^>]*)>\)/.exec(line);
      if (m === null || !m[2].endsWith('appendonly.aof.1.incr.aof')) continue;
      if (Number(m[1]) === pid) onMain++;
      else offMain++;
    }
    expect(writes).toBeGreaterThan(100);
    expect(offMain).toBeGreaterThanOrEqual(least);
    expect(offMain).toBeLessThanOrEqual(most);
    // On the main thread only the final fsync at shutdown.
    expect(onMain).toBeLessThanOrEqual(1);
  });

  it('loads an AOF of a million commands in seconds, not minutes', async () => {
    const dir = makeTempDir('redix-aof-million-');
    cleanups.push(() => removeDir(dir));
    const aofDir = join(dir, 'appendonlydir');
    mkdirSync(aofDir);
    const parts: Buffer[] = [];
    for (let i = 0; i < 1_000_000; i++) parts.push(encodeCommand(['SET', `key:${i}`, `value:${i}`]));
    writeFileSync(join(aofDir, 'appendonly.aof.1.base.aof'), Buffer.concat(parts));
    writeFileSync(join(aofDir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\n');
    const started = performance.now();
    const proc = await redix(dir, ['--appendonly', 'yes']);
    const c = client(proc.port);
    await waitFor(async () => (await c.info('persistence')).includes('\r\nloading:0\r\n'), 120_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(`AOF of 1M commands: process start with loading ${seconds.toFixed(1)} s`);
    expect(await c.dbsize()).toBe(1_000_000);
    expect(await c.get('key:999999')).toBe('value:999999');
    // Generous for a busy shared machine; minutes would mean something is quadratic.
    expect(seconds).toBeLessThan(30);
  });
});
