import { afterEach, describe, expect, it } from 'vitest';
import type Redis from 'ioredis';
import { hasRedisServer } from '../helpers/redis-server';
import {
  connect, datasetDifferences, dumpDataset, fill, info, startRealRedis, startWriter, waitFor, waitInSync, writeMixed, replicationServers,
} from './replication-test-support';

/**
 * Replication between Redix and real redis-server 7.0 processes, in both directions and in a chain,
 * with data written before, during and after the full sync.
 */
describe.skipIf(!hasRedisServer)('replication interop with redis-server 7.0', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());
  const redix = servers.redix;
  const real = (args: string[] = [], port?: number) => servers.real(args, { port });

  async function expectSameData(a: Redis, b: Redis): Promise<number> {
    const [da, db] = await Promise.all([dumpDataset(a), dumpDataset(b)]);
    expect(datasetDifferences(da, db)).toEqual([]);
    return da.size;
  }

  it('a redis-server replica of a Redix master ends with identical data (diskless EOF sync)', async () => {
    const master = await redix();
    await writeMixed(master.client, 'before', 2000);
    await fill(master.client, 'bulk', 60_000);
    const writer = startWriter(connect(master.server.port), 'during');
    const replica = await real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'up', 30_000, 'the link');
    const batches = await writer.stop();
    expect(batches).toBeGreaterThan(0);
    await writeMixed(master.client, 'after', 2000);
    await waitInSync(master.client, replica.client);
    const keys = await expectSameData(master.client, replica.client);
    expect(keys).toBeGreaterThan(60_000);
    const m = await info(master.client, 'replication');
    expect(m.slave0).toMatch(/^ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+$/);
    expect((await info(master.client, 'stats')).sync_full).toBe('1');
    // The replica refuses writes.
    await expect(replica.client.set('x', '1')).rejects.toThrow("READONLY You can't write against a read only replica.");
  });

  it('a redis-server replica gets a length-prefixed RDB when diskless sync is off, and loads a diskless one from the socket', async () => {
    const master = await redix({ replDisklessSync: false });
    await writeMixed(master.client, 'before', 1000);
    const disk = await real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    await master.client.config('SET', 'repl-diskless-sync', 'yes');
    const socketLoad = await real(['--replicaof', '127.0.0.1', String(master.server.port), '--repl-diskless-load', 'swapdb']);
    await writeMixed(master.client, 'after', 1000);
    await waitInSync(master.client, disk.client);
    await waitInSync(master.client, socketLoad.client);
    await expectSameData(master.client, disk.client);
    await expectSameData(master.client, socketLoad.client);
  });

  it('a Redix replica of a redis-server master ends with identical data', async () => {
    const master = await real();
    await writeMixed(master.client, 'before', 2000);
    await fill(master.client, 'bulk', 60_000);
    const writer = startWriter(connect(master.proc.port), 'during');
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'up', 30_000, 'the link');
    const batches = await writer.stop();
    expect(batches).toBeGreaterThan(0);
    await writeMixed(master.client, 'after', 2000);
    await master.client.expire('bulk:1', 1);
    await master.client.pexpire('bulk:2', 1);
    await waitInSync(master.client, replica.client);
    await new Promise((r) => setTimeout(r, 50));
    // Expired on the master but not deleted yet: hidden on the replica, not deleted by it.
    expect(await replica.client.get('bulk:2')).toBeNull();
    expect(await replica.client.exists('bulk:2')).toBe(0);
    await master.client.get('bulk:2'); // the master deletes it and propagates DEL
    // bulk:1 expires too (deleted by the master's expiry cycle or hidden until then) before comparing.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await replica.client.get('bulk:1')).toBeNull();
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
    const r = await info(replica.client, 'replication');
    const m = await info(master.client, 'replication');
    expect(r.master_replid).toBe(m.master_replid);
    expect(r.role).toBe('slave');
    expect(await replica.client.role()).toEqual(['slave', '127.0.0.1', master.proc.port, 'connected', Number(m.master_repl_offset)]);
    await expect(replica.client.set('x', '1')).rejects.toThrow("READONLY You can't write against a read only replica.");
  });

  it('a Redix replica loads a length-prefixed RDB from a redis-server with diskless sync off (large hashes, compressed strings)', async () => {
    const master = await real(['--repl-diskless-sync', 'no']);
    const fields: string[] = [];
    for (let i = 0; i < 2000; i++) fields.push(`field${i}`, `value${i}`.repeat(3));
    await master.client.hset('big-hash', ...fields);
    await master.client.set('compressible', 'abc'.repeat(10_000));
    await master.client.set('int', '12345');
    await writeMixed(master.client, 'before', 500);
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    await waitInSync(master.client, replica.client);
    await writeMixed(master.client, 'after', 500);
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
    expect(await replica.client.hlen('big-hash')).toBe(2000);
  });

  it('a chain redis-server -> Redix -> Redix converges, with the same replication id and offsets', async () => {
    const top = await real();
    await writeMixed(top.client, 'before', 1500);
    const middle = await redix({ replicaof: `127.0.0.1 ${top.proc.port}` });
    await waitInSync(top.client, middle.client);
    const bottom = await redix({ replicaof: `127.0.0.1 ${middle.server.port}` });
    const writer = startWriter(connect(top.proc.port), 'during');
    await waitFor(async () => (await info(bottom.client, 'replication')).master_link_status === 'up', 30_000, 'the bottom link');
    await writer.stop();
    await writeMixed(top.client, 'after', 1500);
    await waitInSync(top.client, middle.client);
    await waitInSync(middle.client, bottom.client);
    await expectSameData(top.client, middle.client);
    await expectSameData(top.client, bottom.client);
    const [t, m, b] = await Promise.all([info(top.client, 'replication'), info(middle.client, 'replication'), info(bottom.client, 'replication')]);
    expect(m.master_replid).toBe(t.master_replid);
    expect(b.master_replid).toBe(t.master_replid);
    expect(b.master_repl_offset).toBe(t.master_repl_offset);
    expect(m.connected_slaves).toBe('1');
  });

  it('killing the link leads to a partial resync, not a full one (Redix master, redis-server replica)', async () => {
    const master = await redix();
    const replica = await real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    await writeMixed(master.client, 'before', 500);
    await waitInSync(master.client, replica.client);
    const before = await info(master.client, 'stats');
    expect(before.sync_full).toBe('1');
    await replica.client.call('CLIENT', 'KILL', 'TYPE', 'master');
    await writeMixed(master.client, 'while-down', 500);
    await waitFor(async () => (await info(master.client, 'stats')).sync_partial_ok === '1', 20_000, 'a partial resync');
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
    expect((await info(master.client, 'stats')).sync_full).toBe('1');
  });

  it('killing the link leads to a partial resync, not a full one (redis-server master, Redix replica)', async () => {
    const master = await real();
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    await writeMixed(master.client, 'before', 500);
    await waitInSync(master.client, replica.client);
    expect(await replica.client.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    await writeMixed(master.client, 'while-down', 500);
    await waitFor(async () => (await info(master.client, 'stats')).sync_partial_ok === '1', 20_000, 'a partial resync');
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
    const stats = await info(master.client, 'stats');
    expect(stats.sync_full).toBe('1');
  });

  it('a Redix replica continues partially after its redis-server master restarts', async () => {
    const master = await real(['--save', '3600 1']);
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    await writeMixed(master.client, 'before', 500);
    await waitInSync(master.client, replica.client);
    const replid = (await info(master.client, 'replication')).master_replid;
    // SHUTDOWN saves the replication id and offset in the RDB; the restarted master keeps its history.
    await master.client.shutdown('SAVE').catch(() => undefined);
    await master.proc.exited;
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'down', 10_000, 'the link to drop');
    const restarted = await startRealRedis(master.dir, ['--save', '3600 1'], master.proc.port);
    const client = connect(restarted.port);
    servers.defer(async () => {
      client.disconnect();
      await restarted.kill();
    });
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'up', 20_000, 'the link to come back');
    expect(restarted.output()).toContain('Partial resynchronization request from');
    const stats = await info(client, 'stats');
    expect(stats.sync_partial_ok).toBe('1');
    expect(stats.sync_full).toBe('0');
    // Redis 7 restarts with a new id and keeps the loaded one as replid2; the replica follows the new one.
    const restartedInfo = await info(client, 'replication');
    expect(restartedInfo.master_replid2).toBe(replid);
    expect((await info(replica.client, 'replication')).master_replid).toBe(restartedInfo.master_replid);
    await writeMixed(client, 'after', 300);
    await waitInSync(client, replica.client);
    await expectSameData(client, replica.client);
  });

  it('WAIT returns the number of replicas that acknowledged the last write', async () => {
    const master = await redix();
    const r1 = await real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    const r2 = await redix({ replicaof: `127.0.0.1 ${master.server.port}` });
    await waitFor(async () => (await info(master.client, 'replication')).connected_slaves === '2', 20_000, 'two replicas');
    await waitInSync(master.client, r1.client);
    await waitInSync(master.client, r2.client);
    await master.client.set('k', 'v');
    expect(await master.client.wait(2, 5000)).toBe(2);
    // More replicas than exist: blocks for the timeout, then counts those that acknowledged.
    const started = Date.now();
    await master.client.set('k2', 'v2');
    expect(await master.client.wait(3, 300)).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // Replies keep their order when commands follow a blocked WAIT.
    const replies = await master.client.pipeline().set('k3', 'v3').wait(3, 200).get('k3').exec();
    expect(replies!.map(([, v]) => v)).toEqual(['OK', 2, 'v3']);
    // On a replica WAIT is an error.
    await expect(r2.client.wait(1, 10)).rejects.toThrow('ERR WAIT cannot be used with replica instances.');
  });

  it('a replica refuses writes until promoted; promotion shifts the replication id so a sibling resyncs partially', async () => {
    const master = await real();
    await writeMixed(master.client, 'before', 800);
    const a = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    const b = await real(['--replicaof', '127.0.0.1', String(master.proc.port)]);
    await waitInSync(master.client, a.client);
    await waitInSync(master.client, b.client);
    await expect(a.client.set('x', '1')).rejects.toThrow("READONLY You can't write against a read only replica.");
    const old = await info(a.client, 'replication');
    await master.proc.kill();
    expect(await a.client.replicaof('NO', 'ONE')).toBe('OK');
    const promoted = await info(a.client, 'replication');
    expect(promoted.role).toBe('master');
    expect(promoted.master_replid2).toBe(old.master_replid);
    expect(promoted.second_repl_offset).toBe(String(Number(old.master_repl_offset) + 1));
    expect(promoted.master_replid).not.toBe(old.master_replid);
    expect(await a.client.set('x', '1')).toBe('OK');
    // The sibling follows the promoted replica and continues from its offset.
    await b.client.replicaof('127.0.0.1', String(a.server.port));
    await waitInSync(a.client, b.client);
    const stats = await info(a.client, 'stats');
    expect(stats.sync_partial_ok).toBe('1');
    expect(stats.sync_full).toBe('0');
    expect(await b.client.get('x')).toBe('1');
    await expectSameData(a.client, b.client);
  });
});
