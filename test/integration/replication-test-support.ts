import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { freePort } from '../helpers/free-port';
import { waitForPort } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import type { RedixServer } from '../../src/index';

/** Shared by the replication tests: clients, processes, dataset comparison, polling. */

export const CLI = resolve(__dirname, '../../dist/src/cli/main.js');
export const hasBuiltCli = existsSync(CLI);

export function connect(port: number, password?: string): Redis {
  return new Redis({ port, host: '127.0.0.1', password, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Process {
  port: number;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
}

function track(child: ChildProcess, port: number): Process {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    port,
    child,
    output: () => out,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

async function started(proc: Process, what: string, timeoutMs: number): Promise<Process> {
  await Promise.race([
    waitForPort(proc.port, timeoutMs),
    proc.exited.then((code) => {
      throw new Error(`${what} exited with ${code} before listening:\n${proc.output()}`);
    }),
  ]);
  return proc;
}

/** A real redis-server 7.0 on a free loopback port, no persistence, logging to stdout. */
export async function startRealRedis(dir: string, args: string[] = [], port?: number): Promise<Process> {
  const p = port ?? (await freePort());
  const child = spawn('redis-server', [
    '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--daemonize', 'no', '--logfile', '', '--repl-diskless-sync-delay', '0', ...args,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  return started(track(child, p), 'redis-server', 15_000);
}

/** The built Redix CLI as a process (cwd: `dir`, so no config file of the tree is picked up). */
export async function startRedixProcess(dir: string, args: string[] = [], port?: number, env: NodeJS.ProcessEnv = process.env): Promise<Process> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, 'start', '--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--repl-diskless-sync-delay', '0', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return started(track(child, p), 'redix', 30_000);
}

/** One key as a dataset dump holds it. */
export interface DumpedKey {
  /** Type and value (strings as hex, hashes as sorted hex pairs). */
  value: string;
  /** Absolute expiry in unix ms as measured (now + PTTL), or -1. */
  expireAt: number;
}

/** Every key of every database, pipelined, so datasets of some 100k keys compare in a few seconds. */
export async function dumpDataset(client: Redis, databases = 16): Promise<Map<string, DumpedKey>> {
  const out = new Map<string, DumpedKey>();
  const BATCH = 2000;
  for (let db = 0; db < databases; db++) {
    await client.select(db);
    const keys = await client.keysBuffer('*');
    for (let from = 0; from < keys.length; from += BATCH) {
      const slice = keys.slice(from, from + BATCH);
      const types = (await client.pipeline(slice.map((k) => ['type', k])).exec())!.map(([, t]) => String(t));
      const p = client.pipeline();
      slice.forEach((k, i) => {
        if (types[i] === 'string') p.getBuffer(k);
        else if (types[i] === 'hash') p.hgetallBuffer(k);
        else if (types[i] === 'list') p.lrangeBuffer(k, 0, -1);
        else p.type(k);
        p.pttl(k);
      });
      const replies = (await p.exec())!;
      const now = Date.now();
      slice.forEach((k, i) => {
        const raw = replies[2 * i][1];
        const pttl = Number(replies[2 * i + 1][1]);
        let value: string;
        if (types[i] === 'string') value = (raw as Buffer | null)?.toString('hex') ?? 'nil';
        else if (types[i] === 'hash') {
          value = Object.entries(raw as Record<string, Buffer>).map(([f, v]) => `${Buffer.from(f, 'latin1').toString('hex')}=${v.toString('hex')}`).sort().join(',');
        } else if (types[i] === 'list') value = (raw as Buffer[]).map((b) => b.toString('hex')).join(',');
        else value = String(raw);
        out.set(`${db}:${k.toString('hex')}`, { value: `${types[i]}:${value}`, expireAt: pttl < 0 ? pttl : now + pttl });
      });
    }
  }
  await client.select(0);
  return out;
}

/**
 * Differences between two dumps (at most `limit`): values must be equal, expiry times within a few
 * seconds of each other (the two dumps are taken at slightly different times).
 */
export function datasetDifferences(a: Map<string, DumpedKey>, b: Map<string, DumpedKey>, limit = 10): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined) out.push(`${k}: ${v.value} != missing`);
    else if (w.value !== v.value) out.push(`${k}: ${v.value} != ${w.value}`);
    else if ((v.expireAt < 0 || w.expireAt < 0) ? v.expireAt !== w.expireAt : Math.abs(v.expireAt - w.expireAt) > 5000) {
      out.push(`${k}: expires ${v.expireAt} != ${w.expireAt}`);
    }
    if (out.length >= limit) return out;
  }
  for (const k of b.keys()) {
    if (!a.has(k)) out.push(`${k}: missing != ${b.get(k)!.value}`);
    if (out.length >= limit) return out;
  }
  return out;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** INFO <section> as a field map. */
export async function info(client: Redis, section: string): Promise<Record<string, string>> {
  const text = await client.info(section);
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Waits until a replica's link is up and it has applied everything its master produced. */
export async function waitInSync(master: Redis, replica: Redis, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => {
    const r = await info(replica, 'replication');
    if (r.master_link_status !== 'up') return false;
    const m = await info(master, 'replication');
    return m.master_repl_offset === r.master_repl_offset;
  }, timeoutMs, 'the replica to catch up');
}

/** Writes a mix of strings (some with TTLs), counters, hashes, deletions, binary data, in three databases. */
export async function writeMixed(client: Redis, prefix: string, count: number): Promise<void> {
  const p = client.pipeline();
  for (let i = 0; i < count; i++) {
    const db = i % 3;
    p.select(db);
    p.set(`${prefix}:s:${i}`, `value-${i}-${'x'.repeat(i % 50)}`);
    if (i % 5 === 0) p.set(`${prefix}:ttl:${i}`, String(i), 'EX', 1000 + i);
    if (i % 7 === 0) p.incrby(`${prefix}:counter`, i);
    if (i % 4 === 0) p.hset(`${prefix}:h:${i % 20}`, `f${i}`, `v${i}`);
    if (i % 11 === 0) p.del(`${prefix}:s:${i - 1}`);
    if (i % 13 === 0) p.append(`${prefix}:s:${i}`, Buffer.from([0, 255, 13, 10]));
  }
  p.select(0);
  await p.exec();
}

/** Bulk keys for sync-size tests: `count` strings of `size` bytes in db 0, pipelined. */
export async function fill(client: Redis, prefix: string, count: number, size = 32): Promise<void> {
  const value = 'v'.repeat(size);
  for (let from = 0; from < count; from += 5000) {
    const p = client.pipeline();
    for (let i = from; i < Math.min(count, from + 5000); i++) p.set(`${prefix}:${i}`, value);
    await p.exec();
  }
}

/** Writes in the background until stopped (data written while a sync is in progress). */
export function startWriter(client: Redis, prefix: string): { stop(): Promise<number> } {
  let running = true;
  let batches = 0;
  const loop = (async () => {
    while (running) {
      await writeMixed(client, `${prefix}:${batches}`, 40);
      batches++;
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return batches;
    },
  };
}

/**
 * The servers one test starts, all stopped by `stopAll` (in afterEach), newest first: Redix in
 * process with an immediate full sync, and real redis-server processes in temp directories.
 */
export function replicationServers() {
  const cleanups: (() => Promise<void> | void)[] = [];
  return {
    async redix(settings: Record<string, unknown> = {}, stop: { nosave?: boolean } = {}): Promise<{ server: RedixServer; client: Redis }> {
      const server = await startRedix({ replDisklessSyncDelay: 0, ...settings } as never);
      const client = connect(server.port, settings.requirepass as string | undefined);
      cleanups.push(async () => {
        client.disconnect();
        await server.shutdown(stop);
      });
      return { server, client };
    },
    /** A redis-server in `options.dir` (kept), or in a temp directory removed afterwards. */
    async real(args: string[] = [], options: { port?: number; dir?: string } = {}): Promise<{ proc: Process; client: Redis; dir: string }> {
      const dir = options.dir ?? makeTempDir('redix-repl-real-');
      const proc = await startRealRedis(dir, args, options.port);
      const client = connect(proc.port);
      cleanups.push(async () => {
        client.disconnect();
        await proc.kill();
        if (options.dir === undefined) removeDir(dir);
      });
      return { proc, client, dir };
    },
    /** Something else to undo when the test ends (run before the servers it may use stop). */
    defer(cleanup: () => Promise<void> | void): void {
      cleanups.push(cleanup);
    },
    async stopAll(): Promise<void> {
      for (const cleanup of cleanups.reverse()) await cleanup();
      cleanups.length = 0;
    },
  };
}
