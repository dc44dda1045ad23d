import { afterEach, describe, expect, it } from 'vitest';
import type Redis from 'ioredis';
import { freePort } from '../helpers/free-port';
import { hasRedisServer } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import {
  connect, datasetDifferences, dumpDataset, fill, info, startWriter, waitFor, waitInSync, writeMixed, replicationServers,
} from './replication-test-support';

/** Replication behaviours: roles, PSYNC2 chains, limits, timeouts, options. */
describe('replication behaviour', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());
  const redix = servers.redix;
  const real = (args: string[] = []) => servers.real(args);

  async function expectSameData(a: Redis, b: Redis): Promise<void> {
    const [da, db] = await Promise.all([dumpDataset(a), dumpDataset(b)]);
    expect(datasetDifferences(da, db)).toEqual([]);
  }

  it('replicates every database, hashes, FLUSHDB/FLUSHALL and the master\'s expiry deletions', async () => {
    const master = await redix();
    const replica = await redix({ replicaof: `127.0.0.1 ${master.server.port}` });
    await writeMixed(master.client, 'a', 600);
    await master.client.select(5);
    await master.client.hset('h5', 'f', 'v', 'g', 'w');
    await master.client.set('short', '1', 'PX', 50);
    await master.client.flushdb();
    await master.client.set('after-flush', '1');
    await master.client.select(0);
    await master.client.set('gone', '1', 'PX', 30);
    await waitInSync(master.client, replica.client);
    await new Promise((r) => setTimeout(r, 60));
    // Expired on both; the replica hides it until the master's DEL arrives.
    expect(await replica.client.get('gone')).toBeNull();
    await master.client.get('gone');
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
    await master.client.flushall();
    await master.client.set('x', 'y');
    await waitInSync(master.client, replica.client);
    expect(await replica.client.dbsize()).toBe(1);
    await expectSameData(master.client, replica.client);
  });

  it('a master shutting down waits for its replicas to acknowledge the last writes', async () => {
    const master = await startRedix({ replDisklessSyncDelay: 0 } as never);
    const m = connect(master.port);
    const replica = await redix({ replicaof: `127.0.0.1 ${master.port}` });
    await waitInSync(m, replica.client);
    const big = 'x'.repeat(100_000);
    const p = m.pipeline();
    for (let i = 0; i < 300; i++) p.set(`k${i}`, big);
    await p.exec();
    const offset = (await info(m, 'replication')).master_repl_offset;
    m.disconnect();
    await master.shutdown();
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'down', 5000, 'the link to drop');
    expect(Number((await info(replica.client, 'replication')).master_repl_offset)).toBeGreaterThanOrEqual(Number(offset));
    expect(await replica.client.dbsize()).toBe(300);
  });

  it('authenticates with masterauth/masteruser; a wrong password keeps the link down', async () => {
    const master = await redix({ requirepass: 'secret' });
    await master.client.set('k', 'v');
    const bad = await redix({ replicaof: `127.0.0.1 ${master.server.port}`, masterauth: 'wrong' });
    const good = await redix({ replicaof: `127.0.0.1 ${master.server.port}`, masterauth: 'secret', masteruser: 'default' });
    await waitInSync(master.client, good.client);
    expect(await good.client.get('k')).toBe('v');
    await new Promise((r) => setTimeout(r, 300));
    const r = await info(bad.client, 'replication');
    expect(r.master_link_status).toBe('down');
    expect(r.master_link_down_since_seconds).toBe('-1');
    expect(await bad.client.get('k')).toBeNull();
  });

  it('REPLICAOF to the same master is a no-op; to another master resyncs fully from it', async () => {
    const x = await redix();
    const y = await redix();
    await x.client.set('from', 'x');
    await y.client.set('from', 'y');
    await y.client.set('only-y', '1');
    const replica = await redix();
    expect(await replica.client.replicaof('127.0.0.1', String(x.server.port))).toBe('OK');
    expect(await replica.client.replicaof('127.0.0.1', String(x.server.port))).toBe('OK Already connected to specified master');
    await waitInSync(x.client, replica.client);
    expect(await replica.client.get('from')).toBe('x');
    expect(await replica.client.call('HELLO', '3')).toContain('replica');
    expect(await replica.client.replicaof('127.0.0.1', String(y.server.port))).toBe('OK');
    await waitInSync(y.client, replica.client);
    await expectSameData(y.client, replica.client);
    expect(await replica.client.config('GET', 'replicaof')).toEqual(['replicaof', `127.0.0.1 ${y.server.port}`]);
    expect(await replica.client.role()).toEqual(['slave', '127.0.0.1', y.server.port, 'connected', Number((await info(y.client, 'replication')).master_repl_offset)]);
    expect(await replica.client.replicaof('NO', 'ONE')).toBe('OK');
    expect(await replica.client.config('GET', 'replicaof')).toEqual(['replicaof', '']);
    expect(await replica.client.role()).toEqual(['master', Number((await info(replica.client, 'replication')).master_repl_offset), []]);
  });

  it('PSYNC2: after promoting the middle of a chain its replica continues partially under the new id', async () => {
    const a = await redix();
    const b = await redix({ replicaof: `127.0.0.1 ${a.server.port}` });
    const c = await redix({ replicaof: `127.0.0.1 ${b.server.port}` });
    await writeMixed(a.client, 'first', 500);
    await waitInSync(a.client, b.client);
    await waitInSync(b.client, c.client);
    const before = await info(b.client, 'replication');
    expect((await info(c.client, 'replication')).master_replid).toBe(before.master_replid);
    await b.client.replicaof('NO', 'ONE');
    await writeMixed(b.client, 'second', 300);
    await waitInSync(b.client, c.client);
    const stats = await info(b.client, 'stats');
    expect(stats.sync_partial_ok).toBe('1');
    expect(stats.sync_full).toBe('1');
    const after = await info(c.client, 'replication');
    const promoted = await info(b.client, 'replication');
    expect(after.master_replid).toBe(promoted.master_replid);
    expect(after.master_replid2).toBe(before.master_replid);
    expect(promoted.master_replid2).toBe(before.master_replid);
    await expectSameData(b.client, c.client);
    // The old master can now follow the promoted one; its own history is older, so it resyncs.
    await a.client.replicaof('127.0.0.1', String(b.server.port));
    await waitInSync(b.client, a.client);
    await expectSameData(b.client, a.client);
  });

  it('a writable replica accepts writes locally without passing them to its replicas', async () => {
    const master = await redix();
    const middle = await redix({ replicaof: `127.0.0.1 ${master.server.port}`, replicaReadOnly: false });
    const bottom = await redix({ replicaof: `127.0.0.1 ${middle.server.port}` });
    await master.client.set('m', '1');
    await waitInSync(master.client, middle.client);
    await waitInSync(middle.client, bottom.client);
    expect(await middle.client.set('local', '1')).toBe('OK');
    await master.client.set('m2', '1');
    await waitInSync(master.client, middle.client);
    await waitInSync(middle.client, bottom.client);
    expect(await bottom.client.get('m2')).toBe('1');
    expect(await bottom.client.get('local')).toBeNull();
    expect((await info(middle.client, 'replication')).slave_read_only).toBe('0');
  });

  it('replica-serve-stale-data no answers MASTERDOWN while the link is down, as redis-server does', async () => {
    const port = await freePort();
    const replica = await redix({ replicaof: `127.0.0.1 ${port}`, replicaServeStaleData: false });
    const expected = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    await expect(replica.client.get('k')).rejects.toThrow(expected);
    // PING has no "stale" flag either; INFO has.
    await expect(replica.client.ping()).rejects.toThrow(expected);
    expect((await info(replica.client, 'replication')).master_link_status).toBe('down');
    if (hasRedisServer) {
      const r = await real(['--replicaof', '127.0.0.1', String(port), '--replica-serve-stale-data', 'no']);
      await expect(r.client.get('k')).rejects.toThrow(expected);
      await expect(r.client.ping()).rejects.toThrow(expected);
    }
    // Once the master is there, reads are served.
    const master = await startRedix({ port, bind: '127.0.0.1', save: '', replDisklessSyncDelay: 0 } as never);
    servers.defer(() => master.shutdown());
    const m = connect(port);
    servers.defer(() => m.disconnect());
    await m.set('k', 'v');
    await waitInSync(m, replica.client);
    expect(await replica.client.get('k')).toBe('v');
  });

  it('min-replicas-to-write refuses writes with NOREPLICAS until enough replicas acknowledge', async () => {
    const master = await redix({ minReplicasToWrite: 1, minReplicasMaxLag: 10 });
    await expect(master.client.set('k', 'v')).rejects.toThrow('NOREPLICAS Not enough good replicas to write.');
    expect(await master.client.get('k')).toBeNull();
    if (hasRedisServer) {
      const r = await real(['--min-replicas-to-write', '1']);
      await expect(r.client.set('k', 'v')).rejects.toThrow('NOREPLICAS Not enough good replicas to write.');
    }
    const replica = await redix({ replicaof: `127.0.0.1 ${master.server.port}` });
    await waitFor(async () => (await master.client.set('k', 'v').catch(() => null)) === 'OK', 10_000, 'writes to be accepted');
    expect((await info(master.client, 'replication')).min_slaves_good_slaves).toBe('1');
    await replica.client.replicaof('NO', 'ONE');
    await waitFor(async () => (await master.client.set('k', 'v').catch((e: Error) => e.message)) !== 'OK', 10_000, 'writes to be refused again');
  });

  it('waits repl-diskless-sync-delay for more replicas before a diskless sync, then serves them together', async () => {
    const master = await redix({ replDisklessSyncDelay: 1 });
    await fill(master.client, 'k', 1000);
    const started = Date.now();
    const r1 = await redix({ replicaof: `127.0.0.1 ${master.server.port}` });
    const r2 = await redix({ replicaof: `127.0.0.1 ${master.server.port}` });
    await waitFor(async () => (await info(master.client, 'replication')).connected_slaves === '2', 5000, 'two replicas');
    expect((await info(master.client, 'replication')).slave0).toMatch(/state=wait_bgsave/);
    await waitInSync(master.client, r1.client);
    await waitInSync(master.client, r2.client);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await r1.client.dbsize()).toBe(1000);
    expect(await r2.client.dbsize()).toBe(1000);
  });

  it('frees the backlog after repl-backlog-ttl seconds without replicas, with a new replication id', async () => {
    const master = await redix({ replBacklogTtl: 1 });
    const replica = await redix({ replicaof: `127.0.0.1 ${master.server.port}` });
    await master.client.set('k', 'v');
    await waitInSync(master.client, replica.client);
    const before = await info(master.client, 'replication');
    expect(before.repl_backlog_active).toBe('1');
    await replica.client.replicaof('NO', 'ONE');
    await waitFor(async () => (await info(master.client, 'replication')).repl_backlog_active === '0', 5000, 'the backlog to be freed');
    expect((await info(master.client, 'replication')).master_replid).not.toBe(before.master_replid);
  });

  it.skipIf(!hasRedisServer)('a replica that falls out of the backlog resyncs fully (sync_partial_err)', async () => {
    const master = await redix({ replBacklogSize: '16kb' });
    const replica = await real(['--replicaof', '127.0.0.1', String(master.server.port), '--enable-debug-command', 'yes']);
    await master.client.set('k', 'v');
    await waitInSync(master.client, replica.client);
    // The replica sleeps; its link is cut and 64 KB are written meanwhile.
    const sleeper = connect(replica.proc.port);
    servers.defer(() => sleeper.disconnect());
    const sleeping = sleeper.call('DEBUG', 'SLEEP', '1');
    await new Promise((r) => setTimeout(r, 100));
    expect(await master.client.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
    await fill(master.client, 'big', 64, 1024);
    await sleeping;
    await waitFor(async () => (await info(master.client, 'stats')).sync_full === '2', 10_000, 'a second full sync');
    expect((await info(master.client, 'stats')).sync_partial_err).toBe('1');
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
  });

  it.skipIf(!hasRedisServer)('drops a replica whose buffered stream passes client-output-buffer-limit during its sync; it resyncs', async () => {
    const master = await redix({ clientOutputBufferLimit: 'normal 0 0 0 replica 64kb 0 0 pubsub 32mb 8mb 60' });
    await fill(master.client, 'bulk', 150_000, 64);
    const writer = startWriter(connect(master.server.port), 'during');
    const replica = await real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    await waitFor(async () => Number((await info(master.client, 'stats')).sync_full) >= 2, 30_000, 'the replica to be dropped and come back');
    await writer.stop();
    await waitInSync(master.client, replica.client, 60_000);
    await expectSameData(master.client, replica.client);
  });
});
