import { afterEach, describe, expect, it } from 'vitest';
import type Redis from 'ioredis';
import { hasRedisServer } from '../helpers/redis-server';
import { connect, datasetDifferences, dumpDataset, waitFor, waitInSync, info, replicationServers } from './replication-test-support';

/** A mixed list workload: pushes, pops, moves, trims, inserts, removals, LMPOP, and served blocking pops. */
async function listWorkload(client: Redis, port: number, prefix: string): Promise<void> {
  const p = client.pipeline();
  for (let i = 0; i < 300; i++) {
    const key = `${prefix}:l:${i % 12}`;
    p.rpush(key, `v${i}`, String(i), 'x'.repeat(i % 90));
    if (i % 3 === 0) p.lpush(key, `head${i}`);
    if (i % 5 === 0) p.lpop(key);
    if (i % 7 === 0) p.rpop(key, 2);
    if (i % 11 === 0) p.lmove(key, `${prefix}:moved`, 'LEFT', 'RIGHT');
    if (i % 13 === 0) p.linsert(key, 'AFTER', String(i), `after${i}`);
    if (i % 17 === 0) p.lrem(key, 0, 'x'.repeat(i % 90));
    if (i % 19 === 0) p.ltrim(key, 1, -2);
    if (i % 23 === 0) p.lset(key, 0, `set${i}`);
    if (i % 29 === 0) p.call('LMPOP', '2', `${prefix}:none`, key, 'RIGHT', 'COUNT', '2');
  }
  await p.exec();
  // Clients blocked on the master, served by later pushes: replicas see LPOP / LMOVE / RPOP key n.
  const waiters = [0, 1, 2, 3].map(() => connect(port));
  try {
    const served = Promise.all([
      waiters[0].blpop(`${prefix}:b1`, 0),
      waiters[1].call('BLMOVE', `${prefix}:b2`, `${prefix}:b1`, 'RIGHT', 'LEFT', '0'),
      waiters[2].call('BLMPOP', '0', '1', `${prefix}:b3`, 'LEFT', 'COUNT', '2'),
      waiters[3].brpoplpush(`${prefix}:b3`, `${prefix}:b2`, 0),
    ]);
    await waitFor(async () => (await info(client, 'clients')).blocked_clients === '4', 10_000, 'four blocked clients');
    await client.rpush(`${prefix}:b2`, 'to-b1', 'stays');
    await client.rpush(`${prefix}:b3`, 'one', 'two', 'three');
    await client.rpush(`${prefix}:b1`, 'first');
    await served;
  } finally {
    for (const w of waiters) w.disconnect();
  }
}

describe.skipIf(!hasRedisServer)('lists: replication with redis-server 7.0', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  async function expectSameData(a: Redis, b: Redis): Promise<void> {
    const [da, db] = await Promise.all([dumpDataset(a), dumpDataset(b)]);
    expect(datasetDifferences(da, db)).toEqual([]);
    expect([...da.keys()].length).toBeGreaterThan(10);
  }

  it('a redis-server replica of a Redix master ends with identical lists, blocking pops included', async () => {
    const master = await servers.redix();
    await listWorkload(master.client, master.server.port, 'before');
    const replica = await servers.real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'up', 30_000, 'the link');
    await listWorkload(master.client, master.server.port, 'after');
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
  });

  it('a Redix replica of a redis-server master ends with identical lists, blocking pops included', async () => {
    const master = await servers.real();
    await listWorkload(master.client, master.proc.port, 'before');
    const replica = await servers.redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'up', 30_000, 'the link');
    await listWorkload(master.client, master.proc.port, 'after');
    await waitInSync(master.client, replica.client);
    await expectSameData(master.client, replica.client);
  });
});
