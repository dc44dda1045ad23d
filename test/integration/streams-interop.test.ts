import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type Redis from 'ioredis';
import { hasRedisServer } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { connect, makeTempDir, removeDir, replicationServers, waitFor, waitInSync, info } from './replication-test-support';

/**
 * A stream with tombstones, several nodes, consumer groups, consumers and pending entries goes
 * through DUMP/RESTORE, RDB files, an AOF rewrite and real replicas, to and from redis-server 7.0,
 * and comes back with the same XINFO STREAM FULL.
 */
const hasCheckRdb = spawnSync('which', ['redis-check-rdb']).status === 0;

/** Builds the reference stream `st` and the empty `empty` (with a group). */
async function build(client: Redis): Promise<void> {
  const p = client.pipeline();
  for (let i = 1; i <= 260; i++) {
    if (i % 7 === 0) p.call('XADD', 'st', `${1000 + i}-${i % 3}`, 'other', String(i), 'x', `v${i}`);
    else p.call('XADD', 'st', `${1000 + i}-${i % 3}`, 'name', `n${i}`, 'count', String(i * 1000));
  }
  p.call('XDEL', 'st', '1005-2', '1100-1', '1101-2', '1200-2');
  p.call('XGROUP', 'CREATE', 'st', 'g1', '0');
  p.call('XGROUP', 'CREATE', 'st', 'g2', '1150-0', 'ENTRIESREAD', '140');
  p.call('XGROUP', 'CREATE', 'st', 'g3', '$');
  p.call('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '10', 'STREAMS', 'st', '>');
  p.call('XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '5', 'STREAMS', 'st', '>');
  p.call('XREADGROUP', 'GROUP', 'g2', 'carol', 'NOACK', 'COUNT', '3', 'STREAMS', 'st', '>');
  p.call('XGROUP', 'CREATECONSUMER', 'st', 'g1', 'dave');
  p.call('XACK', 'st', 'g1', '1002-2', '1003-0');
  p.call('XCLAIM', 'st', 'g1', 'erin', '0', '1004-1', '1006-0', 'TIME', '1700000000000', 'RETRYCOUNT', '4');
  p.call('XADD', 'empty', 'MAXLEN', '0', '5-5', 'f', 'v');
  p.call('XGROUP', 'CREATE', 'empty', 'eg', '$');
  const results = await p.exec();
  for (const [err] of results ?? []) if (err !== null) throw err;
}

/**
 * XINFO STREAM FULL of a key, with fields that are not propagated left out when asked: consumers'
 * seen-time, and (for replicas) a group's entries-read and lag, which Redis 7.0's XCLAIM ... LASTID
 * does not carry (a redis-server replica of a redis-server master differs the same way).
 */
async function fullInfo(client: Redis, key: string, withSeenTime: boolean, withReadCounters = true): Promise<string> {
  const reply = await client.call('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0');
  const masked = new Set(withSeenTime ? [] : ['seen-time']);
  if (!withReadCounters) masked.add('entries-read').add('lag');
  const mask = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    const out = v.map(mask);
    for (let i = 0; i + 1 < out.length; i++) if (masked.has(out[i] as string)) out[i + 1] = 'masked';
    return out;
  };
  return JSON.stringify(mask(reply));
}

describe.skipIf(!hasRedisServer)('streams interop with redis-server 7.0', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  it('DUMP/RESTORE both ways: the same XINFO STREAM FULL and, uncompressed, the same DUMP bytes', async () => {
    const real = await servers.real(['--rdbcompression', 'no']);
    const redix = await servers.redix({ rdbcompression: 'no' });
    await build(real.client);
    for (const key of ['st', 'empty']) {
      const payload = (await real.client.callBuffer('DUMP', key)) as Buffer;
      await redix.client.callBuffer('RESTORE', key, '0', payload);
      expect(await fullInfo(redix.client, key, true)).toBe(await fullInfo(real.client, key, true));
      expect(((await redix.client.callBuffer('DUMP', key)) as Buffer).equals(payload)).toBe(true);
    }
    // Built natively in Redix, then restored into redis-server.
    await redix.client.flushall();
    await real.client.flushall();
    await build(redix.client);
    for (const key of ['st', 'empty']) {
      const payload = (await redix.client.callBuffer('DUMP', key)) as Buffer;
      await real.client.callBuffer('RESTORE', key, '0', payload);
      expect(await fullInfo(real.client, key, true)).toBe(await fullInfo(redix.client, key, true));
      expect(((await real.client.callBuffer('DUMP', key)) as Buffer).equals(payload)).toBe(true);
    }
  });

  it.skipIf(!hasCheckRdb)('a Redix RDB file passes redis-check-rdb and loads into redis-server', async () => {
    const dir = makeTempDir('redix-streams-rdb-');
    servers.defer(() => removeDir(dir));
    const redix = await servers.redix({ dir, dbfilename: 'dump.rdb' });
    await build(redix.client);
    await redix.client.save();
    const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(check.stdout).toContain('RDB looks OK');
    const real = await servers.real(['--dir', dir, '--dbfilename', 'dump.rdb']);
    for (const key of ['st', 'empty']) expect(await fullInfo(real.client, key, true)).toBe(await fullInfo(redix.client, key, true));
  });

  it('an AOF rewrite restores groups, consumers and PELs', async () => {
    const dir = makeTempDir('redix-streams-aof-');
    servers.defer(() => removeDir(dir));
    const settings = { dir, appendonly: 'yes', aofUseRdbPreamble: 'no' };
    const first = await startRedix(settings);
    const client = connect(first.port);
    await build(client);
    const before = await Promise.all(['st', 'empty'].map((k) => fullInfo(client, k, false)));
    await client.bgrewriteaof();
    await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
    client.disconnect();
    await first.shutdown();
    const second = await servers.redix(settings);
    const after = await Promise.all(['st', 'empty'].map((k) => fullInfo(second.client, k, false)));
    expect(after).toEqual(before);
  });

  it('replicates to a redis-server replica and from a redis-server master, reads included', async () => {
    for (const direction of ['redix-master', 'redis-master'] as const) {
      const redix = await servers.redix();
      const real = await servers.real();
      const [master, replica] = direction === 'redix-master' ? [redix.client, real.client] : [real.client, redix.client];
      await build(master);
      const masterPort = direction === 'redix-master' ? redix.server.port : real.proc.port;
      await replica.call('REPLICAOF', '127.0.0.1', String(masterPort));
      await waitFor(async () => (await info(replica, 'replication')).master_link_status === 'up', 30_000, 'the link');
      // After the full sync: reads, claims and trims travel as commands.
      await master.call('XADD', 'st', '5000-1', 'late', 'entry');
      await master.call('XREADGROUP', 'GROUP', 'g3', 'frank', 'STREAMS', 'st', '>');
      await master.call('XREADGROUP', 'GROUP', 'g2', 'carol', 'NOACK', 'COUNT', '2', 'STREAMS', 'st', '>');
      await master.call('XAUTOCLAIM', 'st', 'g1', 'gina', '0', '0', 'COUNT', '3');
      await master.call('XADD', 'st', 'MAXLEN', '~', '150', '5001-1', 'trim', 'me');
      await waitInSync(master, replica);
      for (const key of ['st', 'empty']) expect(await fullInfo(replica, key, false, false)).toBe(await fullInfo(master, key, false, false));
      await servers.stopAll();
    }
  });
});
