import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RedixServer, StoredValue } from '../../src/index';
import { HashValue } from '../../plugins/hashes/hash-value';
import { RdbService } from '../../plugins/rdb/rdb-service';
import { RawConnection } from '../helpers/raw-connection';
import { parseReply } from '../helpers/resp-tree';
import { hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { bulk, call, parseInfo, pipeline, waitForBgsave } from './rdb-dataset';

type Arg = string | Buffer;

const dirs: string[] = [];
const servers: (RedixServer | RealRedis)[] = [];
afterAll(async () => {
  for (const s of servers) {
    if ('shutdown' in s) await s.shutdown({ nosave: true });
    else await s.stop();
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'redix-rdb-bgsave-'));
  dirs.push(d);
  return d;
}

async function redix(settings: Parameters<typeof startRedix>[0]): Promise<RedixServer> {
  const s = await startRedix(settings);
  servers.push(s);
  return s;
}

async function info(conn: RawConnection): Promise<Record<string, string>> {
  return parseInfo(bulk(await call(conn, ['INFO', 'persistence']))!.toString());
}

/** Every key of a server's keyspace as "db/key" → "value|expiry", read in-process. */
function keyspaceOf(server: RedixServer): Map<string, string> {
  const out = new Map<string, string>();
  for (const db of server.keyspace.databases) {
    db.forEachEntry((value, key) => out.set(`${db.index}/${key}`, `${render(value)}|${db.getExpire(key)}`));
  }
  return out;
}

function render(value: StoredValue): string {
  if (typeof value === 'string') return value;
  return [...(value as HashValue).entries()].map(([f, v]) => `${f}=${v}`).join(',');
}

describe('BGSAVE without fork', () => {
  it('writes the dataset as it was when BGSAVE started, whatever clients write meanwhile', async () => {
    const dir = tempDir();
    const server = await redix({ dir, dbfilename: 'dump.rdb' });
    const writer = await RawConnection.connect(server.port);
    const watcher = await RawConnection.connect(server.port);
    const expireAt = Date.now() + 3_600_000;

    // The model: what the dataset is when BGSAVE runs (commands on one connection run in order).
    const model = new Map<string, string>();
    const setup: Arg[][] = [];
    const KEYS = 120_000;
    for (let db = 0; db < 3; db++) {
      setup.push(['SELECT', String(db)]);
      for (let base = 0; base < KEYS / 3; base += 500) {
        const mset: Arg[] = ['MSET'];
        for (let i = base; i < base + 500; i++) {
          mset.push(`k${i}`, `v${db}-${i}`);
          model.set(`${db}/k${i}`, `v${db}-${i}|-1`);
        }
        setup.push(mset);
      }
      for (let i = 0; i < 300; i++) {
        setup.push(['HSET', `h${i}`, 'a', String(i), 'b', `x${db}`]);
        model.set(`${db}/h${i}`, `a=${i},b=x${db}|-1`);
      }
      for (let i = 0; i < 1000; i += 7) {
        setup.push(['PEXPIREAT', `k${i}`, String(expireAt)]);
        model.set(`${db}/k${i}`, `v${db}-${i}|${expireAt}`);
      }
    }
    setup.push(['SELECT', '0']);
    await pipeline(writer, setup);
    expect(server.keyspace.totalKeys).toBe(model.size);

    // BGSAVE, then keep changing everything (including FLUSHDB and SWAPDB) until it is done.
    expect((await writer.command(['BGSAVE'])).toString()).toBe('+Background saving started\r\n');
    let rounds = 0;
    let overlapping = 0;
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (;;) {
      const batch: Arg[][] = [];
      for (let i = 0; i < 400; i++) {
        const key = `k${rand(KEYS / 3 + 1000)}`;
        const op = rand(100);
        if (op < 30) batch.push(['SET', key, `changed-${rounds}`]);
        else if (op < 45) batch.push(['DEL', key]);
        else if (op < 55) batch.push(['HSET', `h${rand(300)}`, 'a', 'changed', 'c', String(rounds)]);
        else if (op < 65) batch.push(['PEXPIRE', key, '10000000']);
        else if (op < 70) batch.push(['PERSIST', key]);
        else if (op < 80) batch.push(['APPEND', key, '+']);
        else if (op < 90) batch.push(['SELECT', String(rand(3))]);
        else if (op < 99) batch.push(['SET', `new-${rounds}-${i}`, 'n']);
        else batch.push(rand(2) === 0 ? ['SWAPDB', '0', '1'] : ['FLUSHDB']);
      }
      batch.push(['SELECT', '0']);
      await pipeline(writer, batch);
      rounds++;
      const state = await info(watcher);
      if (state.rdb_bgsave_in_progress === '0') break;
      overlapping++;
    }
    const final = await info(watcher);
    expect(final.rdb_last_bgsave_status).toBe('ok');
    expect(overlapping).toBeGreaterThan(0);
    writer.close();
    watcher.close();

    const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
    if (check.status !== null || !check.error) expect(check.stdout).toContain('RDB looks OK');
    const reloaded = await redix({ dir, dbfilename: 'dump.rdb' });
    const saved = keyspaceOf(reloaded);
    expect(saved.size).toBe(model.size);
    let differences = 0;
    for (const [id, value] of model) if (saved.get(id) !== value) differences++;
    expect(differences).toBe(0);
    const slice = RdbService.of(server).lastBackgroundSave?.maxSliceMs ?? -1;
    console.log(`BGSAVE of ${model.size} keys overlapped ${overlapping} of ${rounds} write rounds (400 commands each); longest slice ${slice.toFixed(1)} ms`);
  });

  it('refuses BGSAVE or SAVE while a BGSAVE runs, and SAVE/BGSAVE arguments like Redis', async () => {
    const dir = tempDir();
    const server = await redix({ dir, dbfilename: 'dump.rdb' });
    const conn = await RawConnection.connect(server.port);
    const fill: Arg[][] = [];
    for (let base = 0; base < 60_000; base += 1000) {
      const mset: Arg[] = ['MSET'];
      for (let i = base; i < base + 1000; i++) mset.push(`key:${i}`, `value:${i}`);
      fill.push(mset);
    }
    await pipeline(conn, fill);
    conn.write(Buffer.concat([['BGSAVE'], ['BGSAVE'], ['SAVE'], ['BGSAVE', 'SCHEDULE', 'x'], ['BGSAVE', 'NOW'], ['SAVE', 'x'], ['LASTSAVE', 'x']].map((a) => Buffer.from(`*${a.length}\r\n` + a.map((x) => `$${x.length}\r\n${x}\r\n`).join('')))));
    const replies = (await conn.readReplies(7)).map((r) => r.toString());
    expect(replies).toEqual([
      '+Background saving started\r\n',
      '-ERR Background save already in progress\r\n',
      '-ERR Background save already in progress\r\n',
      '-ERR syntax error\r\n',
      '-ERR syntax error\r\n',
      "-ERR wrong number of arguments for 'save' command\r\n",
      "-ERR wrong number of arguments for 'lastsave' command\r\n",
    ]);
    await waitForBgsave(server.port);
    expect((await conn.command(['BGSAVE', 'SCHEDULE'])).toString()).toBe('+Background saving started\r\n');
    const done = await waitForBgsave(server.port);
    expect(done.rdb_saves).toBe('2');
    expect(String(integerOf(await conn.command(['LASTSAVE'])))).toBe(done.rdb_last_save_time);
    conn.close();
  });

  it('counts changes since the last save as Redis does (SAVE, BGSAVE, FLUSHALL with and without save points)', async () => {
    const sequence: Arg[][] = [
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['INCR', 'a'], ['INFO', 'persistence'], ['SAVE'], ['INFO', 'persistence'],
      ['SET', 'c', '3'], ['DEL', 'c', 'zz'], ['INFO', 'persistence'], ['FLUSHALL'], ['INFO', 'persistence'],
      ['SET', 'x', '1'], ['CONFIG', 'SET', 'save', '3600 1'], ['FLUSHALL'], ['INFO', 'persistence'],
      ['SET', 'y', '1'], ['BGSAVE'],
    ];
    const fields = ['rdb_changes_since_last_save', 'rdb_saves', 'rdb_last_bgsave_status'];
    const run = async (port: number) => {
      const conn = await RawConnection.connect(port);
      const out: string[] = [];
      for (const args of sequence) {
        const reply = await conn.command(args);
        if (args[0] === 'INFO') {
          const i = parseInfo(bulk(parseReply(reply))!.toString());
          out.push(fields.map((f) => `${f}=${i[f]}`).join(' '));
        } else {
          out.push(reply.toString());
        }
      }
      await waitForBgsave(port);
      const i = await info(conn);
      out.push(fields.map((f) => `${f}=${i[f]}`).join(' '));
      conn.close();
      return out;
    };
    const dir = tempDir();
    const ours = await run((await redix({ dir, dbfilename: 'dump.rdb' })).port);
    if (hasRedisServer) {
      const real = await startRedisServer();
      servers.push(real);
      expect(ours).toEqual(await run(real.port));
    } else {
      expect(ours[ours.length - 1]).toBe('rdb_changes_since_last_save=0 rdb_saves=2 rdb_last_bgsave_status=ok');
    }
  });

  it('FLUSHALL stops a running BGSAVE and, with save points, saves the empty dataset', async () => {
    const dir = tempDir();
    const server = await redix({ dir, dbfilename: 'dump.rdb', save: '3600 1' });
    const conn = await RawConnection.connect(server.port);
    const fill: Arg[][] = [];
    for (let base = 0; base < 60_000; base += 1000) {
      const mset: Arg[] = ['MSET'];
      for (let i = base; i < base + 1000; i++) mset.push(`key:${i}`, 'v'.repeat(50));
      fill.push(mset);
    }
    await pipeline(conn, fill);
    conn.write(Buffer.from('*1\r\n$6\r\nBGSAVE\r\n*1\r\n$8\r\nFLUSHALL\r\n'));
    expect((await conn.readReplies(2)).map(String)).toEqual(['+Background saving started\r\n', '+OK\r\n']);
    const state = await info(conn);
    expect(state.rdb_bgsave_in_progress).toBe('0');
    expect(state.rdb_last_bgsave_status).toBe('ok');
    expect(state.rdb_changes_since_last_save).toBe('0');
    await new Promise((r) => setTimeout(r, 100));
    const reloaded = await redix({ dir, dbfilename: 'dump.rdb' });
    expect(reloaded.keyspace.totalKeys).toBe(0);
    expect(readdirTemp(dir)).toEqual([]);
    conn.close();
  });

  it('stops writes after a failed BGSAVE (stop-writes-on-bgsave-error) with the MISCONF error, like Redis', async () => {
    const run = async (port: number, dir: string) => {
      const conn = await RawConnection.connect(port);
      const out: string[] = [];
      out.push((await conn.command(['CONFIG', 'SET', 'save', '3600 1'])).toString());
      out.push((await conn.command(['SET', 'k', 'v'])).toString());
      rmSync(dir, { recursive: true, force: true });
      out.push((await conn.command(['BGSAVE'])).toString());
      const state = await waitForBgsave(port);
      out.push(state.rdb_last_bgsave_status);
      for (const args of [['SET', 'k', 'w'], ['PING'], ['GET', 'k'], ['DEL', 'k'], ['DBSIZE'], ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no'], ['SET', 'k', 'x'], ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes'], ['PING'], ['CONFIG', 'SET', 'save', ''], ['PING']]) {
        out.push((await conn.command(args)).toString());
      }
      conn.close();
      return out;
    };
    const dir = tempDir();
    const ours = await run((await redix({ dir, dbfilename: 'dump.rdb' })).port, dir);
    expect(ours[3]).toBe('err');
    expect(ours[4]).toMatch(/^-MISCONF Redis is configured to save RDB snapshots/);
    if (hasRedisServer) {
      const redisDir = tempDir();
      const real = await startRedisServer(['--dir', redisDir]);
      servers.push(real);
      expect(ours).toEqual(await run(real.port, redisDir));
    }
  });

  it('saves on SHUTDOWN when save points are set (not with NOSAVE), and on SHUTDOWN SAVE', async () => {
    for (const [settings, options, saved] of [
      [{ save: '3600 1' }, {}, true],
      [{ save: '3600 1' }, { nosave: true }, false],
      [{ save: '' }, {}, false],
      [{ save: '' }, { save: true }, true],
    ] as const) {
      const dir = tempDir();
      const server = await startRedix({ dir, dbfilename: 'dump.rdb', ...settings });
      server.keyspace.databases[0].set('k', 'v');
      await server.shutdown(options);
      expect(existsSync(join(dir, 'dump.rdb')), JSON.stringify([settings, options])).toBe(saved);
    }
  });

  it('takes a BGSAVE by itself when a save point is reached', async () => {
    const dir = tempDir();
    const server = await redix({ dir, dbfilename: 'dump.rdb', save: '1 2' });
    const conn = await RawConnection.connect(server.port);
    await conn.command(['SET', 'a', '1']);
    await new Promise((r) => setTimeout(r, 2300));
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(false); // one change is not enough
    await conn.command(['SET', 'b', '2']);
    const deadline = Date.now() + 5000;
    while (!existsSync(join(dir, 'dump.rdb')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);
    const state = await waitForBgsave(server.port);
    expect(state.rdb_changes_since_last_save).toBe('0');
    expect(statSync(join(dir, 'dump.rdb')).size).toBeGreaterThan(0);
    conn.close();
  });

  it('reports what it loaded in INFO', async () => {
    const dir = tempDir();
    const first = await startRedix({ dir, dbfilename: 'dump.rdb' });
    first.keyspace.databases[0].set('a', '1');
    first.keyspace.databases[0].set('gone', '2');
    first.keyspace.databases[0].setExpire('gone', Date.now() + 50);
    await first.shutdown({ save: true });
    await new Promise((r) => setTimeout(r, 100));
    const second = await redix({ dir, dbfilename: 'dump.rdb' });
    const conn = await RawConnection.connect(second.port);
    const state = await info(conn);
    expect([state.rdb_last_load_keys_loaded, state.rdb_last_load_keys_expired, state.rdb_changes_since_last_save]).toEqual(['1', '1', '0']);
    conn.close();
  });
});

function integerOf(reply: Buffer): number {
  return Number(reply.toString().slice(1).trim());
}

function readdirTemp(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('temp-'));
}
