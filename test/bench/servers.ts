import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { freePort } from '../helpers/free-port';
import { waitForPort } from '../helpers/redis-server';

export type BenchServerName = 'redix' | 'redis' | 'minimal';

export interface BenchServer {
  name: BenchServerName;
  port: number;
  dir: string;
  pid: number;
  /** Kills the server; removes its directory unless keepDir. */
  stop(keepDir?: boolean): Promise<void>;
}

// test/bench in the source tree (vitest), dist/test/bench in the build (npm run bench).
const repoRoot = resolve(__dirname, '..', '..', basename(resolve(__dirname, '..', '..')) === 'dist' ? '..' : '.');

async function launch(name: BenchServerName, extra: string[], reuseDir?: string): Promise<BenchServer> {
  const port = await freePort();
  const dir = reuseDir ?? mkdtempSync(join(tmpdir(), `redix-bench-${name}-`));
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra];
  const child: ChildProcess = name === 'redis'
    ? spawn('redis-server', [...common, '--daemonize', 'no', '--loglevel', 'warning'], { stdio: 'ignore' })
    : name === 'minimal'
      ? spawn(process.execPath, [join(repoRoot, 'dist/test/bench/minimal-server.js'), String(port)], { stdio: 'ignore', cwd: dir })
      // --expose-gc lets MEMORY PURGE run a full collection before memory is read; cwd is the temp
      // dir so no config file is picked up from where the bench was started.
      : spawn(process.execPath, ['--expose-gc', join(repoRoot, 'dist/src/cli/main.js'), 'start', ...common, '--loglevel', 'warning'], { stdio: 'ignore', cwd: dir });
  await waitForPort(port, 600_000);
  return {
    name,
    port,
    dir,
    pid: child.pid!,
    async stop(keepDir = false) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Redix from the production build, Debian's redis-server, both without persistence, or the
 * minimal Node server that marks the ceiling (minimal-server.ts).
 */
export function startBenchServer(name: BenchServerName, extra: string[] = [], reuseDir?: string): Promise<BenchServer> {
  return launch(name, extra, reuseDir);
}
