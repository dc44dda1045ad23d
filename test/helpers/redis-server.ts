import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** True when Debian's redis-server is installed (tests that need it skip with a message otherwise). */
export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
export const hasRedisCli = spawnSync('redis-cli', ['--version']).status === 0;
export const REDIS_MISSING = 'redis-server is not installed (apt-get install redis-server redis-tools); .ci/run installs it';

export interface RealRedis {
  port: number;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a real redis-server on a free loopback port with no persistence, in a temp directory. */
export async function startRedisServer(extraArgs: string[] = []): Promise<RealRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redix-real-redis-'));
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--daemonize', 'no', '--logfile', '', '--loglevel', 'warning', ...extraArgs,
  ], { stdio: 'ignore' });
  await waitForPort(port, 10_000);
  return {
    port,
    dir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once something accepts connections on the port. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
