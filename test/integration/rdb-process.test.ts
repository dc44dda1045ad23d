/**
 * RDB persistence with Redix as a real process (the built CLI in dist/, as `npm test` builds it):
 * PING latency during a BGSAVE of a million keys, a crash (SIGKILL) in the middle of SAVE, and a
 * corrupt dump refused at start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { waitForPort } from '../helpers/redis-server';
import { runProcess } from '../helpers/run-process';
import { bulk, call, parseInfo, waitForBgsave } from './rdb-dataset';

const repoRoot = resolve(__dirname, '../..');
const cli = join(repoRoot, 'dist/src/cli/main.js');
const hasCheckRdb = spawnSync('redis-check-rdb', ['/dev/null']).error === undefined;
const env = { ...process.env, REDIX_PORT: '', REDIX_LOG_LEVEL: '', REDIX_CONNECTION_IDLE_TIMEOUT: '' };

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'redix-rdb-process-'));
  dirs.push(d);
  return d;
}

async function startProcess(dir: string, extra: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'start', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--loglevel', 'warning', ...extra], { cwd: dir, env, stdio: 'ignore' });
  children.push(child);
  await waitForPort(port, 60_000);
  return { child, port };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

/** MSETs `count` keys in batches of 1000, pipelined with a bounded number in flight. */
async function fill(conn: RawConnection, count: number, value: (i: number) => string): Promise<void> {
  const batch = 1000;
  const inFlight = 20;
  let sent = 0;
  let acked = 0;
  while (acked < count / batch) {
    while (sent < count / batch && sent - acked < inFlight) {
      const args = ['MSET'];
      for (let i = sent * batch; i < (sent + 1) * batch; i++) args.push(`key:${i}`, value(i));
      conn.write(encodeCommand(args));
      sent++;
    }
    const [reply] = await conn.readReplies(1, 60_000);
    expect(reply.toString()).toBe('+OK\r\n');
    acked++;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

describe.skipIf(!existsSync(cli))('RDB persistence in a Redix process', () => {
  it('keeps PING latency low during a BGSAVE of a million keys (and times SAVE and loading)', async () => {
    const dir = tempDir();
    const { child, port } = await startProcess(dir);
    const conn = await RawConnection.connect(port);
    const KEYS = 1_000_000;
    await fill(conn, KEYS, (i) => `value:${i}`);
    expect((await conn.command(['DBSIZE'])).toString()).toBe(`:${KEYS}\r\n`);

    let t = performance.now();
    expect((await conn.command(['SAVE'], 120_000)).toString()).toBe('+OK\r\n');
    const saveMs = performance.now() - t;
    const size = statSync(join(dir, 'dump.rdb')).size;

    // Baseline PING latency, then PING continuously while a BGSAVE runs.
    const pinger = await RawConnection.connect(port);
    const ping = async () => {
      const started = performance.now();
      await pinger.command(['PING']);
      return performance.now() - started;
    };
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) idle.push(await ping());
    t = performance.now();
    expect((await conn.command(['BGSAVE'])).toString()).toBe('+Background saving started\r\n');
    const during: number[] = [];
    let finished = false;
    const watch = waitForBgsave(port, 120_000).then((info) => {
      finished = true;
      return info;
    });
    while (!finished) during.push(await ping());
    const info = await watch;
    const bgsaveMs = performance.now() - t;
    expect(info.rdb_last_bgsave_status).toBe('ok');
    during.sort((a, b) => a - b);
    idle.sort((a, b) => a - b);
    const max = during[during.length - 1];
    console.log(
      `1M keys: SAVE ${saveMs.toFixed(0)} ms (${(size / 1e6).toFixed(1)} MB); BGSAVE ${bgsaveMs.toFixed(0)} ms; ` +
        `PING during BGSAVE: ${during.length} pings, p50 ${percentile(during, 50).toFixed(2)} ms, p99 ${percentile(during, 99).toFixed(2)} ms, max ${max.toFixed(2)} ms ` +
        `(idle p99 ${percentile(idle, 99).toFixed(2)} ms)`,
    );
    // Serving never stops for long: a blocking save of this dataset holds the loop for the whole
    // SAVE time above, a background one never for a fraction of it. Relative to SAVE, not a fixed
    // time, so a busy machine slows both sides (absolute latencies are the bench's, logged above).
    expect(during.length).toBeGreaterThan(50);
    expect(max).toBeLessThan(saveMs / 3);

    if (hasCheckRdb) {
      const check = await runProcess('redis-check-rdb', [join(dir, 'dump.rdb')], { timeoutMs: 60_000 });
      expect(check.stdout).toContain('RDB looks OK');
      expect(check.stdout).toContain(`${KEYS} keys read`);
    }

    // Restart on the dump: time until the server answers with all keys.
    conn.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
    await exited(child);
    pinger.close();
    conn.close();
    t = performance.now();
    const restarted = await startProcess(dir);
    const again = await RawConnection.connect(restarted.port);
    // The dump loads after the port opens (clients get -LOADING meanwhile, as in Redis).
    while ((await again.command(['PING'])).toString().startsWith('-LOADING')) await new Promise((r) => setTimeout(r, 20));
    const loadMs = performance.now() - t;
    expect((await again.command(['DBSIZE'])).toString()).toBe(`:${KEYS}\r\n`);
    expect((await again.command(['GET', 'key:999999'])).toString()).toBe('$12\r\nvalue:999999\r\n');
    const loaded = parseInfo(bulk(await call(again, ['INFO', 'persistence']))!.toString());
    expect(loaded.rdb_last_load_keys_loaded).toBe(String(KEYS));
    console.log(`1M keys: process start with loading ${loadMs.toFixed(0)} ms`);
    again.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
    await exited(restarted.child);
    again.close();
  });

  it('leaves the previous dump intact when the process dies in the middle of SAVE', async () => {
    const dir = tempDir();
    const { child, port } = await startProcess(dir);
    const conn = await RawConnection.connect(port);
    expect((await conn.command(['SET', 'marker', 'old dump'])).toString()).toBe('+OK\r\n');
    expect((await conn.command(['SAVE'])).toString()).toBe('+OK\r\n');
    const before = readFileSync(join(dir, 'dump.rdb'));

    // Enough incompressible data that SAVE takes a while, then kill -9 once the temp file grows.
    await fill(conn, 150_000, (i) => (i * 2654435761).toString(36).repeat(40).slice(0, 400));
    conn.write(encodeCommand(['SAVE']));
    const deadline = Date.now() + 30_000;
    let temp: string | undefined;
    while (Date.now() < deadline) {
      temp = readdirSync(dir).find((f) => f.startsWith('temp-'));
      if (temp !== undefined && statSync(join(dir, temp)).size > 1_000_000) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(temp).toBeDefined();
    child.kill('SIGKILL');
    await exited(child);
    conn.close();

    expect(readFileSync(join(dir, 'dump.rdb')).equals(before)).toBe(true);
    if (hasCheckRdb) expect((await runProcess('redis-check-rdb', [join(dir, 'dump.rdb')])).stdout).toContain('RDB looks OK');
    const restarted = await startProcess(dir);
    const again = await RawConnection.connect(restarted.port);
    expect((await again.command(['DBSIZE'])).toString()).toBe(':1\r\n');
    expect((await again.command(['GET', 'marker'])).toString()).toBe('$8\r\nold dump\r\n');
    again.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
    await exited(restarted.child);
    again.close();
  });

  it('refuses to start on a corrupt dump with one clear line naming the file and offset', async () => {
    const dir = tempDir();
    const { child, port } = await startProcess(dir);
    const conn = await RawConnection.connect(port);
    await fill(conn, 2000, (i) => `value ${i}`);
    await conn.command(['SAVE']);
    conn.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
    await exited(child);
    conn.close();
    const path = join(dir, 'dump.rdb');
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0x04;
    writeFileSync(path, bytes);
    const run = await runProcess(process.execPath, [cli, 'start', '--port', String(await freePort()), '--dir', dir, '--save', ''], { cwd: dir, env, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^redix: Bad RDB file .*dump\.rdb: .* \(at byte offset \d+\)$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
