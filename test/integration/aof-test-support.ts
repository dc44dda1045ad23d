import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { freePort } from '../helpers/free-port';
import { waitForPort } from '../helpers/redis-server';

/** Shared by the AOF interop and crash tests: processes on loopback ports, dataset dumps. */

export const CLI = resolve(__dirname, '../../dist/src/cli/main.js');
export const hasBuiltCli = existsSync(CLI);
/** strace, when installed and allowed to trace (containers may forbid ptrace). */
export const hasStrace = spawnSync('strace', ['-o', '/dev/null', 'true']).status === 0;

export interface Process {
  port: number;
  child: ChildProcess;
  /** Output so far (stdout and stderr). */
  output(): string;
  /** Sends the signal and waits for the exit. */
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

/** Starts the built Redix CLI on a free port (under `wrapper`, e.g. strace); resolves once it accepts connections. */
export async function startRedixProcess(dir: string, args: string[] = [], wrapper: string[] = []): Promise<Process> {
  const port = await freePort();
  const command = [...wrapper, process.execPath, CLI, 'start', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--aof-use-rdb-preamble', 'no', ...args];
  // cwd: the data directory, so no redix.config.* of the working tree is picked up.
  const child = spawn(command[0], command.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = track(child, port);
  await Promise.race([
    waitForPort(port, 30_000),
    proc.exited.then((code) => {
      throw new Error(`redix exited with ${code} before listening:\n${proc.output()}`);
    }),
  ]);
  return proc;
}

/** Starts a real redis-server 7.0 on a free port in `dir` (kept when it stops). */
export async function startRealRedis(dir: string, args: string[] = []): Promise<Process> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'no', '--logfile', '', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = track(child, port);
  await Promise.race([
    waitForPort(port, 15_000),
    proc.exited.then((code) => {
      throw new Error(`redis-server exited with ${code}:\n${proc.output()}`);
    }),
  ]);
  return proc;
}

export function connect(port: number): Redis {
  return new Redis({ port, host: '127.0.0.1', enableOfflineQueue: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Every key of every database as comparable text: type, value (strings as hex, hashes as sorted
 * field/value pairs) and whether it has a TTL (rounded to 10 s, so two servers compare equal).
 */
export async function dumpDataset(client: Redis, databases = 16): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (let db = 0; db < databases; db++) {
    await client.select(db);
    const keys = await client.keysBuffer('*');
    for (const key of keys) {
      const type = await client.type(key);
      let value: string;
      if (type === 'string') {
        value = (await client.getBuffer(key))!.toString('hex');
      } else if (type === 'hash') {
        const flat = (await client.callBuffer('HGETALL', key)) as Buffer[];
        const pairs: string[] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i].toString('hex')}=${flat[i + 1].toString('hex')}`);
        value = pairs.sort().join(',');
      } else if (type === 'list') {
        value = ((await client.callBuffer('LRANGE', key, '0', '-1')) as Buffer[]).map((b) => b.toString('hex')).join(',');
      } else {
        value = '?';
      }
      const pttl = await client.pttl(key);
      out[`${db}:${key.toString('hex')}`] = `${type}:${value}:ttl=${pttl < 0 ? pttl : Math.round(pttl / 10_000)}`;
    }
  }
  await client.select(0);
  return out;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}
