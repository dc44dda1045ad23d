import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { hasRedisServer, waitForPort } from '../helpers/redis-server';

const cli = resolve(__dirname, '../../dist/src/cli/main.js');

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** Starts redis-server or Redix with save points in `dir`; both take the same redis.conf-style flags. */
function startProcess(kind: 'redis' | 'redix', port: number, dir: string): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '3600 1', '--appendonly', 'no'];
  return kind === 'redis'
    ? spawn('redis-server', args, { stdio: 'ignore' })
    : spawn(process.execPath, [cli, 'start', ...args], { stdio: 'ignore', env: { ...process.env, REDIX_PORT: '' } });
}

/**
 * Redis refuses to shut down when its final save fails (here: dump.rdb is a directory, so the
 * rename fails, for root too) and keeps serving, after SHUTDOWN and after SIGTERM alike; SHUTDOWN
 * FORCE exits anyway. Both servers get the same steps and must give the same bytes.
 */
describe.skipIf(!hasRedisServer)('a shutdown whose final save fails, compared with redis-server', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redix-shutdown-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(kind: 'redis' | 'redix'): Promise<{ refused: string; afterSignal: string; forced: number | null }> {
    const data = mkdtempSync(join(dir, `${kind}-`));
    const port = await freePort();
    const child = startProcess(kind, port, data);
    const exited = exitCode(child);
    try {
      await waitForPort(port, 15_000);
      const conn = await RawConnection.connect(port);
      await conn.command(['SET', 'k', 'v']);
      mkdirSync(join(data, 'dump.rdb', 'in-the-way'), { recursive: true });
      // SHUTDOWN and a PING in one write: the error, then the PING's reply, in order.
      conn.write(Buffer.concat([encodeCommand(['SHUTDOWN']), encodeCommand(['PING'])]));
      const refused = Buffer.concat(await conn.readReplies(2)).toString('latin1');
      child.kill('SIGTERM');
      // The signal's shutdown is refused too; the connection and the data stay.
      await new Promise((r) => setTimeout(r, 500));
      const afterSignal = Buffer.concat([await conn.command(['GET', 'k']), await conn.command(['PING'])]).toString('latin1');
      conn.write(encodeCommand(['SHUTDOWN', 'FORCE']));
      await conn.waitClosed(10_000);
      return { refused, afterSignal, forced: await exited };
    } finally {
      child.kill('SIGKILL');
    }
  }

  it('refuses SHUTDOWN and SIGTERM with Redis\'s error, keeps serving, and exits on SHUTDOWN FORCE', async () => {
    const redis = await run('redis');
    const redix = await run('redix');
    expect(redix).toEqual(redis);
    expect(redis.refused).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n+PONG\r\n');
    expect(redis.afterSignal).toBe('$1\r\nv\r\n+PONG\r\n');
    expect(redis.forced).toBe(0);
  });
});
