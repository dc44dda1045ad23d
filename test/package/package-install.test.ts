import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { RawConnection } from '../helpers/raw-connection';
import { waitForPort } from '../helpers/redis-server';
import { runProcess } from '../helpers/run-process';

/**
 * The package as a user gets it (`npm run test:package`, opt-in: it takes a few minutes): `npm pack`
 * output installed into an empty folder, `npx redix start` there, two plugins made with
 * `npx redix create-plugin` passing their own tests, loaded side by side from a config file, and a
 * dump holding both module types loaded back and accepted by redis-check-rdb. Installs try the
 * local npm cache first (--prefer-offline) and reach the registry only for what it lacks.
 */
const repoRoot = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'redix-package-'));
const app = join(work, 'app');
const env = { ...process.env, REDIX_PORT: '', REDIX_LOG_LEVEL: '', REDIX_CONNECTION_IDLE_TIMEOUT: '', npm_config_yes: 'true' };
const children: ChildProcess[] = [];
const text = (b: Buffer) => b.toString('latin1');

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

async function npm(args: string[], cwd: string, timeoutMs = 300_000) {
  const run = await runProcess('npm', args, { cwd, env, timeoutMs });
  if (run.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${run.code}): ${run.stderr.slice(-2000)}`);
  return run;
}

/** `npx redix start` in `cwd` on a free port; resolves once it listens. */
async function startRedix(cwd: string, extra: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn('npx', ['redix', 'start', '--port', String(port), '--bind', '127.0.0.1', '--save', '', ...extra], { cwd, env, stdio: 'ignore' });
  children.push(child);
  await waitForPort(port, 60_000);
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await exited;
}

describe('the packed package, installed into an empty folder', () => {
  beforeAll(async () => {
    expect(existsSync(join(repoRoot, 'dist/src/cli/main.js'))).toBe(true);
    // dist/ is built by the test:package script; --ignore-scripts keeps pack from building again.
    await npm(['pack', '--ignore-scripts', '--pack-destination', work], repoRoot);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], app);
    // What a plugin's tests need besides redix-server (which brings typescript).
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', 'vitest@^4.1.0', '@types/node@^20.19.0'], app);
  }, 600_000);

  it('runs `npx redix start`', async () => {
    const { child, port } = await startRedix(app);
    const c = await RawConnection.connect(port);
    expect(text(await c.command(['PING']))).toBe('+PONG\r\n');
    expect(text(await c.command(['SET', 'k', 'v']))).toBe('+OK\r\n');
    c.close();
    await stop(child);
  });

  it('creates plugins whose own tests pass', async () => {
    for (const name of ['counter', 'gauge']) {
      const created = await runProcess('npx', ['redix', 'create-plugin', name], { cwd: app, env, timeoutMs: 60_000 });
      expect(created.code).toBe(0);
      // The plugin folder sits inside the app, so it resolves redix-server and vitest from there.
      const tests = await runProcess(process.execPath, [join(app, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: join(app, name), env, timeoutMs: 180_000 });
      expect(tests.stdout).toMatch(/Tests\s+.*4 passed/);
      expect(tests.code).toBe(0);
    }
  }, 400_000);

  it('loads both plugins side by side; a dump with both module types loads back and passes redis-check-rdb', async () => {
    const data = join(app, 'data');
    mkdirSync(data);
    writeFileSync(join(app, 'redix.config.json'), JSON.stringify({ plugins: ['./counter/src/index.ts', './gauge/src/index.ts'], dir: data }));
    let { child, port } = await startRedix(app);
    let c = await RawConnection.connect(port);
    expect(text(await c.command(['COUNTER.INCRBY', 'c', '7']))).toBe(':7\r\n');
    expect(text(await c.command(['GAUGE.INCRBY', 'g', '-3']))).toBe(':-3\r\n');
    expect(text(await c.command(['SAVE']))).toBe('+OK\r\n');
    c.close();
    await stop(child);
    if (spawnSync('redis-check-rdb', ['--version']).error === undefined) {
      const check = spawnSync('redis-check-rdb', [join(data, 'dump.rdb')], { encoding: 'utf8' });
      expect(check.stdout).toContain('RDB looks OK!');
    }
    ({ child, port } = await startRedix(app));
    c = await RawConnection.connect(port);
    expect(text(await c.command(['COUNTER.GET', 'c']))).toBe(':7\r\n');
    expect(text(await c.command(['GAUGE.GET', 'g']))).toBe(':-3\r\n');
    expect(text(await c.command(['TYPE', 'g']))).toBe('+gauge-typ\r\n');
    c.close();
    await stop(child);
  }, 180_000);
});
