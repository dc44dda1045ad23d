import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type Redis from 'ioredis';
import type { RedixServer } from '../../src/index';
import { startRedix } from '../helpers/redix';
import { connect, info, replicationServers, waitFor, waitInSync } from './replication-test-support';

/** Behaviour of maxmemory modelled on Redis's tests/unit/maxmemory.tcl (which needs a server it starts itself). */
describe('maxmemory and eviction', () => {
  let server: RedixServer;
  let r: Redis;
  const used = async () => Number((await info(r, 'memory')).used_memory);

  beforeAll(async () => {
    server = await startRedix();
    r = connect(server.port);
  });
  afterAll(async () => {
    r?.disconnect();
    await server?.shutdown();
  });
  beforeEach(async () => {
    await r.config('SET', 'maxmemory', '0');
    await r.config('SET', 'maxmemory-policy', 'noeviction');
    await r.flushall();
    await r.config('RESETSTAT');
  });

  /** Sets maxmemory to what is used now plus `headroom` bytes. */
  async function limitAt(headroom: number): Promise<number> {
    const limit = (await used()) + headroom;
    await r.config('SET', 'maxmemory', String(limit));
    return limit;
  }

  for (const policy of ['allkeys-random', 'allkeys-lru', 'allkeys-lfu', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    it(`${policy}: used_memory stays under maxmemory through a write flood of keys with TTL`, async () => {
      await r.config('SET', 'maxmemory-policy', policy);
      const limit = await limitAt(100 * 1024);
      for (let round = 0; round < 4; round++) {
        const p = r.pipeline();
        for (let i = 0; i < 2000; i++) p.setex(`k${round}:${i}`, 10000, 'x'.repeat(20));
        const results = await p.exec();
        expect(results!.every(([e]) => e === null)).toBe(true);
        expect(await used()).toBeLessThanOrEqual(limit);
      }
      expect(Number((await info(r, 'stats')).evicted_keys)).toBeGreaterThan(0);
    });
  }

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    it(`${policy}: only keys with a TTL are evicted; once none is left, writes get -OOM`, async () => {
      await r.config('SET', 'maxmemory-policy', policy);
      const p = r.pipeline();
      for (let i = 0; i < 300; i++) p.set(`plain${i}`, 'v'.repeat(20));
      for (let i = 0; i < 300; i++) p.setex(`volatile${i}`, 10000, 'v'.repeat(20));
      await p.exec();
      await limitAt(-2000);
      let oom = '';
      for (let i = 0; i < 2000 && oom === ''; i++) {
        try {
          await r.set(`plain-new${i}`, 'v'.repeat(20));
        } catch (e) {
          oom = (e as Error).message;
        }
      }
      expect(oom).toBe("OOM command not allowed when used memory > 'maxmemory'.");
      for (let i = 0; i < 300; i++) expect(await r.exists(`plain${i}`)).toBe(1);
      expect(Number((await info(r, 'keyspace')).db0?.split(',')[1].split('=')[1] ?? 0)).toBe(0);
      // Reads go on.
      expect(await r.get('plain0')).toBe('v'.repeat(20));
    });
  }

  it('noeviction refuses denyoom commands and lets reads and deletions through', async () => {
    await r.set('a', '1');
    await r.config('SET', 'maxmemory', '1');
    await expect(r.set('b', '2')).rejects.toThrow(/^OOM command not allowed/);
    expect(await r.get('a')).toBe('1');
    expect(await r.del('a')).toBe(1);
    expect(Number((await info(r, 'stats')).evicted_keys)).toBe(0);
  });

  it('allkeys-lru evicts the keys idle longest', async () => {
    await r.set('template', 'v'.repeat(30));
    const payload = await r.dumpBuffer('template');
    await r.del('template');
    const empty = await used();
    const p = r.pipeline();
    for (let i = 0; i < 500; i++) p.restore(`cold${i}`, 0, payload, 'IDLETIME', 1000);
    for (let i = 0; i < 500; i++) p.restore(`hot${i}`, 0, payload);
    await p.exec();
    await r.config('SET', 'maxmemory-policy', 'allkeys-lru');
    // Room for about 3/4 of the keys: a quarter must go, and should be cold ones.
    const perKey = ((await used()) - empty) / 1000;
    await limitAt(-250 * perKey);
    await r.set('trigger', '1');
    const hot = (await Promise.all(Array.from({ length: 500 }, (_, i) => r.exists(`hot${i}`)))).reduce((a, b) => a + b, 0);
    const cold = (await Promise.all(Array.from({ length: 500 }, (_, i) => r.exists(`cold${i}`)))).reduce((a, b) => a + b, 0);
    expect(500 - cold).toBeGreaterThan(200);
    expect(500 - hot).toBeLessThan(25);
  });

  it('allkeys-lfu evicts the least frequently used keys', async () => {
    await r.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    await r.set('template', 'v'.repeat(30));
    const payload = await r.dumpBuffer('template');
    await r.del('template');
    const empty = await used();
    const p = r.pipeline();
    for (let i = 0; i < 500; i++) p.restore(`rare${i}`, 0, payload, 'FREQ', 0);
    for (let i = 0; i < 500; i++) p.restore(`often${i}`, 0, payload, 'FREQ', 100);
    await p.exec();
    expect(await r.object('FREQ', 'often0')).toBe(100);
    const perKey = ((await used()) - empty) / 1000;
    await limitAt(-250 * perKey);
    await r.set('trigger', '1');
    const often = (await Promise.all(Array.from({ length: 500 }, (_, i) => r.exists(`often${i}`)))).reduce((a, b) => a + b, 0);
    expect(500 - often).toBeLessThan(25);
  });

  it('volatile-ttl evicts the keys that expire soonest', async () => {
    await r.config('SET', 'maxmemory-policy', 'volatile-ttl');
    const empty = await used();
    const p = r.pipeline();
    for (let i = 0; i < 500; i++) p.setex(`soon${i}`, 1000, 'v'.repeat(20));
    for (let i = 0; i < 500; i++) p.setex(`late${i}`, 100000, 'v'.repeat(20));
    await p.exec();
    const perKey = ((await used()) - empty) / 1000;
    await limitAt(-250 * perKey);
    await r.set('trigger', '1');
    const late = (await Promise.all(Array.from({ length: 500 }, (_, i) => r.exists(`late${i}`)))).reduce((a, b) => a + b, 0);
    expect(500 - late).toBeLessThan(25);
  });

  it('evictions emit the evicted event, count in INFO and propagate as DEL, or UNLINK with lazyfree-lazy-eviction', async () => {
    const changes: string[][] = [];
    const unsubscribe = server.keyspace.feed.subscribe((_db, argv) => {
      changes.push(argv.map((a) => (typeof a === 'string' ? a : a.toString('latin1'))));
    });
    const sub = connect(server.port);
    try {
      await r.config('SET', 'notify-keyspace-events', 'Ee');
      const events: string[] = [];
      sub.on('pmessage', (_p, channel, message) => events.push(`${channel} ${message}`));
      await sub.psubscribe('*');
      await r.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await r.set('foo', 'bar');
      await r.config('SET', 'maxmemory', '1');
      await waitFor(async () => events.length > 0, 2000, 'the evicted event');
      expect(events).toEqual(['__keyevent@0__:evicted foo']);
      expect(changes.at(-1)).toEqual(['DEL', 'foo']);
      await r.config('SET', 'maxmemory', '0');
      await r.config('SET', 'lazyfree-lazy-eviction', 'yes');
      await r.set('bar', 'baz');
      await r.config('SET', 'maxmemory', '1');
      await waitFor(async () => (await r.dbsize()) === 0, 2000, 'the eviction');
      expect(changes.at(-1)).toEqual(['UNLINK', 'bar']);
      expect(Number((await info(r, 'stats')).evicted_keys)).toBe(2);
    } finally {
      if (typeof unsubscribe === 'function') unsubscribe();
      await r.config('SET', 'lazyfree-lazy-eviction', 'no');
      await r.config('SET', 'notify-keyspace-events', '');
      sub.disconnect();
    }
  });

  it('used_memory follows the dataset: MEMORY USAGE per key, in-place changes, and back to the start when emptied', async () => {
    const dataset = async () => Number((await info(r, 'memory')).used_memory_dataset);
    const before = await used();
    const datasetBefore = await dataset();
    await r.set('s', 'x'.repeat(1000));
    const afterSet = await used();
    // The dataset grows by the key's MEMORY USAGE; the tables' part is overhead.
    expect((await dataset()) - datasetBefore).toBe(Number(await r.memory('USAGE', 's')));
    expect(afterSet - before).toBeGreaterThan(Number(await r.memory('USAGE', 's')));
    for (let i = 0; i < 200; i++) await r.hset('h', `field${i}`, 'v'.repeat(50));
    const grown = await used();
    expect(grown - afterSet).toBeGreaterThan(200 * 50);
    expect(Number(await r.memory('USAGE', 'h'))).toBeGreaterThan(200 * 50);
    await r.del('h', 's');
    expect(await used()).toBe(before);
  });

  it('OBJECT IDLETIME grows while a key is idle; TYPE, EXISTS and TTL leave it, TOUCH and GET reset it', async () => {
    await r.set('foo', 'bar');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await r.type('foo');
    await r.exists('foo');
    await r.ttl('foo');
    expect(await r.object('IDLETIME', 'foo')).toBeGreaterThanOrEqual(2);
    await r.touch('foo');
    expect(await r.object('IDLETIME', 'foo')).toBeLessThan(2);
  });

  it('RESTORE IDLETIME and FREQ set the access stamp under the policy that reads it', async () => {
    await r.set('foo', 'bar');
    const payload = await r.dumpBuffer('foo');
    await r.del('foo');
    await r.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await r.restore('foo', 0, payload, 'IDLETIME', 1000);
    const idle = Number(await r.object('IDLETIME', 'foo'));
    expect(idle).toBeGreaterThanOrEqual(1000);
    expect(idle).toBeLessThanOrEqual(1010);
    await r.del('foo');
    await r.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    await r.restore('foo', 0, payload, 'FREQ', 100);
    expect(await r.object('FREQ', 'foo')).toBe(100);
  });

  it('a key created where a deleted one was starts with a fresh stamp; an LFU overwrite keeps the counter', async () => {
    await r.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    const payload = await (async () => {
      await r.set('tmp', 'v');
      const dumped = await r.dumpBuffer('tmp');
      await r.del('tmp');
      return dumped;
    })();
    await r.restore('old', 0, payload, 'FREQ', 200);
    await r.del('old');
    await r.set('new', 'v');
    // A minute boundary passed meanwhile decays a counter by one (lfu-decay-time 1).
    expect(Number(await r.object('FREQ', 'new'))).toBeGreaterThanOrEqual(4);
    expect(Number(await r.object('FREQ', 'new'))).toBeLessThanOrEqual(5);
    await r.restore('hot', 0, payload, 'FREQ', 150);
    await r.set('hot', 'overwritten');
    expect(Number(await r.object('FREQ', 'hot'))).toBeGreaterThanOrEqual(149);
    await r.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await r.restore('idle', 0, payload, 'IDLETIME', 500);
    await r.del('idle');
    await r.set('fresh', 'v');
    expect(await r.object('IDLETIME', 'fresh')).toBeLessThan(2);
  });

  it('eviction inside MULTI happens before EXEC; EXEC of reads only runs while over the limit', async () => {
    await r.set('x', 'value');
    const other = connect(server.port);
    try {
      const multi = r.multi();
      multi.get('x');
      multi.ping();
      const pending = multi.exec();
      await other.config('SET', 'maxmemory', '1');
      const results = await pending;
      expect(results!.map(([, v]) => v)).toEqual(['value', 'PONG']);
    } finally {
      await other.config('SET', 'maxmemory', '0');
      other.disconnect();
    }
  });
});

describe('maxmemory on a replica', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  it('a replica ignores maxmemory (replica-ignore-maxmemory yes): keys go when the master evicts them', async () => {
    const master = await servers.redix();
    const replica = await servers.redix({ replicaof: `127.0.0.1 ${master.server.port}` });
    await waitInSync(master.client, replica.client);
    const p = master.client.pipeline();
    for (let i = 0; i < 500; i++) p.set(`k${i}`, 'v'.repeat(100));
    await p.exec();
    await waitInSync(master.client, replica.client);
    await replica.client.config('SET', 'maxmemory', '1');
    await replica.client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await replica.client.dbsize()).toBe(500);
    const masterUsed = Number((await info(master.client, 'memory')).used_memory);
    await master.client.config('SET', 'maxmemory-policy', 'allkeys-random');
    await master.client.config('SET', 'maxmemory', String(masterUsed - 250 * 150));
    await master.client.set('trigger', '1');
    await waitInSync(master.client, replica.client);
    const left = await master.client.dbsize();
    expect(left).toBeLessThan(501);
    expect(await replica.client.dbsize()).toBe(left);
  });
});
