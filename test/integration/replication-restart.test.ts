import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type Redis from 'ioredis';
import { hasRedisServer } from '../helpers/redis-server';
import { runProcess } from '../helpers/run-process';
import {
  datasetDifferences, dumpDataset, info, makeTempDir, removeDir, replicationServers, waitFor, waitInSync, writeMixed,
} from './replication-test-support';

/** The AUX fields redis-check-rdb reports for a dump. */
async function auxOf(path: string): Promise<Record<string, string>> {
  const run = await runProcess('redis-check-rdb', [path]);
  expect(run.stdout).toContain('RDB looks OK');
  const out: Record<string, string> = {};
  for (const m of run.stdout.matchAll(/AUX FIELD ([\w-]+) = '([^']*)'/g)) out[m[1]] = m[2];
  return out;
}

/**
 * Restarts keep the replication history in dump.rdb, as Redis 7.0 does (AUX repl-stream-db,
 * repl-id, repl-offset): a restarted replica and the replicas of a restarted master continue with a
 * partial resync, between Redix and real redis-server 7.0 processes in both directions.
 */
describe.skipIf(!hasRedisServer)('replication across restarts (replication id and offset in the RDB)', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());
  const redix = (settings: Record<string, unknown>) => servers.redix(settings, { nosave: true });
  const real = (dir: string, args: string[] = [], port?: number) => servers.real(args, { dir, port });

  function tempDir(): string {
    const dir = makeTempDir('redix-repl-restart-');
    servers.defer(() => removeDir(dir));
    return dir;
  }

  async function expectSameData(a: Redis, b: Redis): Promise<void> {
    const [da, db] = await Promise.all([dumpDataset(a), dumpDataset(b)]);
    expect(datasetDifferences(da, db)).toEqual([]);
    expect(da.size).toBeGreaterThan(0);
  }

  it('a restarted Redix replica of a redis-server master continues with +CONTINUE', async () => {
    const master = await real(tempDir());
    const dir = tempDir();
    const settings = { replicaof: `127.0.0.1 ${master.proc.port}`, dir, save: '3600 1' };
    const first = await redix(settings);
    // Synced first, so the writes below reach the replica through the stream (with their SELECTs).
    await waitInSync(master.client, first.client);
    await writeMixed(master.client, 'before', 800);
    // The stream ends in database 2: the restarted replica must apply the next writes there, with no SELECT.
    await master.client.select(2);
    await master.client.set('in-db-2', 'x');
    await waitInSync(master.client, first.client);
    await first.server.shutdown();
    const saved = await auxOf(join(dir, 'dump.rdb'));
    const m = await info(master.client, 'replication');
    expect(saved['repl-id']).toBe(m.master_replid);
    expect(saved['repl-offset']).toBe(m.master_repl_offset);
    expect(saved['repl-stream-db']).toBe('2');
    expect(saved['aof-base']).toBe('0');

    await master.client.set('while-down', 'y');
    await writeMixed(master.client, 'while-down', 300);
    await master.client.select(2);
    await master.client.set('in-db-2-again', 'z');
    const second = await redix(settings);
    await waitInSync(master.client, second.client);
    const stats = await info(master.client, 'stats');
    expect(stats.sync_partial_ok).toBe('1');
    expect(stats.sync_full).toBe('1');
    expect(master.proc.output()).toContain('Partial resynchronization request from');
    await second.client.select(2);
    expect(await second.client.get('in-db-2-again')).toBe('z');
    await second.client.select(0);
    await master.client.select(0);
    await expectSameData(master.client, second.client);
  });

  it('a real redis-server replica of a restarted Redix master continues partially', async () => {
    const dir = tempDir();
    const first = await redix({ dir, save: '3600 1' });
    const port = first.server.port;
    const replica = await real(tempDir(), ['--replicaof', '127.0.0.1', String(port)]);
    await writeMixed(first.client, 'before', 800);
    await waitInSync(first.client, replica.client);
    const before = await info(first.client, 'replication');
    await first.server.shutdown();
    const saved = await auxOf(join(dir, 'dump.rdb'));
    expect(saved['repl-id']).toBe(before.master_replid);
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'down', 10_000, 'the link to drop');
    const replicaOffset = (await info(replica.client, 'replication')).master_repl_offset;
    expect(saved['repl-offset']).toBe(replicaOffset);

    const second = await redix({ dir, save: '3600 1', port });
    const restarted = await info(second.client, 'replication');
    // As redis-server 7.0: a new id, the saved one second, valid up to the saved offset + 1.
    expect(restarted.master_replid2).toBe(before.master_replid);
    expect(restarted.second_repl_offset).toBe(String(Number(saved['repl-offset']) + 1));
    expect(restarted.master_repl_offset).toBe(saved['repl-offset']);
    expect(restarted.repl_backlog_active).toBe('1');
    await waitInSync(second.client, replica.client);
    const stats = await info(second.client, 'stats');
    expect(stats.sync_partial_ok).toBe('1');
    expect(stats.sync_full).toBe('0');
    expect(replica.proc.output()).toContain('Successful partial resynchronization with master.');
    expect((await info(replica.client, 'replication')).master_replid).toBe(restarted.master_replid);
    await writeMixed(second.client, 'after', 300);
    await waitInSync(second.client, replica.client);
    await expectSameData(second.client, replica.client);
  });

  it("redis-server reads a Redix replica's dump as its own: started from it, it continues partially", async () => {
    const master = await real(tempDir());
    const dir = tempDir();
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}`, dir, save: '3600 1' });
    await writeMixed(master.client, 'before', 500);
    await waitInSync(master.client, replica.client);
    await replica.server.shutdown();
    await writeMixed(master.client, 'while-down', 200);
    const realDir = tempDir();
    copyFileSync(join(dir, 'dump.rdb'), join(realDir, 'dump.rdb'));
    const follower = await real(realDir, ['--replicaof', '127.0.0.1', String(master.proc.port)]);
    await waitInSync(master.client, follower.client);
    const stats = await info(master.client, 'stats');
    expect(stats.sync_partial_ok).toBe('1');
    expect(stats.sync_full).toBe('1');
    await expectSameData(master.client, follower.client);
  });

  it('dumps without the fields still load, and then a replica asks for a full sync (PSYNC ? -1)', async () => {
    // A master with no replica has no backlog: neither redis-server nor Redix saves the fields then.
    const source = tempDir();
    const plain = await real(source);
    await writeMixed(plain.client, 'plain', 300);
    await plain.client.save();
    expect((await auxOf(join(source, 'dump.rdb')))['repl-id']).toBeUndefined();
    const masterDir = tempDir();
    const master = await redix({ dir: masterDir, save: '3600 1' });
    await writeMixed(master.client, 'plain', 300);
    await master.client.save();
    expect((await auxOf(join(masterDir, 'dump.rdb')))['repl-id']).toBeUndefined();

    const replicaDir = tempDir();
    copyFileSync(join(source, 'dump.rdb'), join(replicaDir, 'dump.rdb'));
    const upstream = await real(tempDir());
    await writeMixed(upstream.client, 'upstream', 200);
    const replica = await redix({ replicaof: `127.0.0.1 ${upstream.proc.port}`, dir: replicaDir, save: '3600 1' });
    await waitInSync(upstream.client, replica.client);
    const stats = await info(upstream.client, 'stats');
    expect(stats.sync_full).toBe('1');
    // "?": a full sync asked for on purpose, not a failed partial one.
    expect(stats.sync_partial_err).toBe('0');
    await expectSameData(upstream.client, replica.client);

    const restartedDir = tempDir();
    copyFileSync(join(source, 'dump.rdb'), join(restartedDir, 'dump.rdb'));
    const restarted = await redix({ dir: restartedDir, save: '3600 1' });
    const r = await info(restarted.client, 'replication');
    expect(r.repl_backlog_active).toBe('0');
    expect(r.master_replid2).toBe('0'.repeat(40));
    expect(await restarted.client.dbsize()).toBe(await plain.client.dbsize());
  });
});
