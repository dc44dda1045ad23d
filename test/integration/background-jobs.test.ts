import { afterAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { makeTempDir, removeDir, waitFor } from './aof-test-support';
import { parseInfo } from './rdb-dataset';

type Arg = string | Buffer;

/**
 * BGSAVE and BGREWRITEAOF are one background job at a time, as Redis's single fork child: the
 * second is refused or scheduled with Redis's exact replies, and a scheduled one runs once the
 * first is done. Each sequence is sent in one write, so every command sees the first job running
 * (Redis is slowed with rdb-key-save-delay; Redix's job cannot end within the turn it started in).
 */
describe.skipIf(!hasRedisServer)('one background job at a time, like redis-server 7.0', () => {
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const s of stops.reverse()) await s();
  });

  async function servers(): Promise<[number, number]> {
    const real: RealRedis = await startRedisServer(['--appendonly', 'yes', '--rdb-key-save-delay', '1000']);
    stops.push(() => real.stop());
    const dir = makeTempDir('redix-background-jobs-');
    stops.push(() => removeDir(dir));
    const redix: RedixServer = await startRedix({ dir, appendonly: 'yes' });
    stops.push(() => redix.shutdown({ nosave: true }));
    for (const port of [real.port, redix.port]) {
      const conn = await RawConnection.connect(port);
      const mset: Arg[] = ['MSET'];
      for (let i = 0; i < 1500; i++) mset.push(`key:${i}`, `value:${i}`);
      expect((await conn.command(mset)).toString()).toBe('+OK\r\n');
      conn.close();
    }
    return [real.port, redix.port];
  }

  const FIELDS = ['rdb_bgsave_in_progress', 'aof_rewrite_in_progress', 'aof_rewrite_scheduled'];

  async function run(port: number, commands: Arg[][]): Promise<string[]> {
    const conn = await RawConnection.connect(port);
    try {
      conn.write(Buffer.concat([...commands, ['INFO', 'persistence']].map(encodeCommand)));
      const replies = await conn.readReplies(commands.length + 1, 60_000);
      const info = parseInfo(replies.pop()!.toString('latin1'));
      return [...replies.map((r) => r.toString('latin1')), FIELDS.map((f) => `${f}=${info[f]}`).join(' ')];
    } finally {
      conn.close();
    }
  }

  /** Waits until nothing runs nor is scheduled; returns the INFO persistence fields. */
  async function settled(port: number): Promise<Record<string, string>> {
    let info: Record<string, string> = {};
    await waitFor(async () => {
      const conn = await RawConnection.connect(port);
      const reply = (await conn.command(['INFO', 'persistence'])).toString('latin1');
      conn.close();
      info = parseInfo(reply);
      return info.rdb_bgsave_in_progress === '0' && info.aof_rewrite_in_progress === '0' && info.aof_rewrite_scheduled === '0';
    }, 60_000);
    return info;
  }

  it('while a BGSAVE runs: BGSAVE and SAVE refused, BGREWRITEAOF scheduled, then run', async () => {
    const [real, ours] = await servers();
    const sequence = [['BGSAVE'], ['BGSAVE'], ['BGSAVE', 'SCHEDULE'], ['SAVE'], ['BGREWRITEAOF'], ['BGREWRITEAOF']];
    const expected = await run(real, sequence);
    expect(await run(ours, sequence)).toEqual(expected);
    expect(expected[4]).toBe('+Background append only file rewriting scheduled\r\n');
    const [a, b] = await Promise.all([settled(real), settled(ours)]);
    // The scheduled rewrite ran once the BGSAVE was done.
    expect([b.aof_rewrites, b.rdb_last_bgsave_status, b.aof_last_bgrewrite_status]).toEqual([a.aof_rewrites, a.rdb_last_bgsave_status, a.aof_last_bgrewrite_status]);
    expect(b.aof_rewrites).toBe('1');
  });

  it('while an AOF rewrite runs: BGSAVE refused, BGSAVE SCHEDULE scheduled, SAVE allowed', async () => {
    const [real, ours] = await servers();
    const sequence = [['BGREWRITEAOF'], ['BGREWRITEAOF'], ['BGSAVE'], ['BGSAVE', 'SCHEDULE'], ['BGSAVE', 'SCHEDULE'], ['SAVE']];
    const expected = await run(real, sequence);
    expect(await run(ours, sequence)).toEqual(expected);
    expect(expected[2]).toMatch(/^-ERR Another child process is active \(AOF\?\)/);
    const [a, b] = await Promise.all([settled(real), settled(ours)]);
    // The scheduled BGSAVE ran once the rewrite was done.
    await waitFor(async () => {
      const conn = await RawConnection.connect(ours);
      const info = parseInfo((await conn.command(['INFO', 'persistence'])).toString('latin1'));
      conn.close();
      return info.rdb_last_bgsave_time_sec !== '-1' && info.rdb_bgsave_in_progress === '0';
    });
    expect([b.aof_rewrites, b.aof_last_bgrewrite_status]).toEqual([a.aof_rewrites, a.aof_last_bgrewrite_status]);
  });
});

if (!hasRedisServer) console.warn(REDIS_MISSING);
