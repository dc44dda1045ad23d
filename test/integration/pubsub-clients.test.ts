import Redis from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { startRedix } from '../helpers/redix';

/**
 * Subscribers as users write them, with ioredis and node-redis, in RESP2 and RESP3: messages,
 * patterns, keyspace notifications, and client-side caching invalidations.
 */
describe('Pub/Sub with real client libraries', () => {
  let server: RedixServer;
  beforeAll(async () => {
    server = await startRedix({ notifyKeyspaceEvents: 'KEA' });
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  /** Resolves with the first `count` values `subscribe` collects. */
  function collect<T>(count: number, subscribe: (push: (value: T) => void) => void): Promise<T[]> {
    return new Promise((resolve) => {
      const got: T[] = [];
      subscribe((v) => {
        got.push(v);
        if (got.length === count) resolve(got);
      });
    });
  }

  for (const protocol of [2, 3] as const) {
    it(`ioredis (RESP${protocol}): subscribe, psubscribe and keyspace events`, async () => {
      const options = { port: server.port, host: '127.0.0.1', ...(protocol === 2 ? { protocol: 2 as const } : {}) };
      const sub = new Redis(options);
      const pub = new Redis(options);
      try {
        const messages = collect<string>(2, (push) => sub.on('message', (channel, message) => push(`${channel}=${message}`)));
        const patterns = collect<string>(3, (push) => sub.on('pmessage', (pattern, channel, message) => push(`${pattern}|${channel}=${message}`)));
        expect(await sub.subscribe('news', 'sport')).toBe(2);
        expect(await sub.psubscribe('__keyevent@0__:*')).toBe(3);
        expect(await pub.publish('news', 'hello')).toBe(1);
        expect(await pub.publish('sport', 'goal')).toBe(1);
        // SET ... PX emits set and expire; the engine emits expired (at the latest on the GET's lazy expiry).
        await pub.set(`ioredis-ks-${protocol}`, 'v', 'PX', 1);
        while ((await pub.get(`ioredis-ks-${protocol}`)) !== null) await new Promise((r) => setTimeout(r, 2));
        expect(await messages).toEqual(['news=hello', 'sport=goal']);
        expect(await patterns).toEqual(['set', 'expire', 'expired'].map((e) => `__keyevent@0__:*|__keyevent@0__:${e}=ioredis-ks-${protocol}`));
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
    });

    it(`node-redis (RESP${protocol}): subscribe and pSubscribe`, async () => {
      const sub = createClient({ socket: { port: server.port, host: '127.0.0.1' }, ...(protocol === 2 ? { RESP: 2 as const } : {}) });
      const pub = sub.duplicate();
      sub.on('error', () => undefined);
      pub.on('error', () => undefined);
      await sub.connect();
      await pub.connect();
      try {
        const got = collect<string>(2, (push) => {
          void sub.subscribe('orders', (message, channel) => push(`${channel}=${message}`));
          void sub.pSubscribe('ord*', (message, channel) => push(`p:${channel}=${message}`));
        });
        // Subscriptions are confirmed before the publish runs: PUBSUB NUMSUB sees them.
        for (let i = 0; i < 200 && Number((await pub.sendCommand(['PUBSUB', 'NUMPAT'])) as unknown) === 0; i++) await new Promise((r) => setTimeout(r, 5));
        expect(await pub.publish('orders', 'o1')).toBe(2);
        expect((await got).sort()).toEqual(['orders=o1', 'p:orders=o1']);
      } finally {
        await sub.close();
        await pub.close();
      }
    });
  }

  it('node-redis RESP3 client-side caching: a cached GET is invalidated by another client\'s write', async () => {
    const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 100 } });
    const writer = createClient({ socket: { port: server.port, host: '127.0.0.1' } });
    client.on('error', () => undefined);
    writer.on('error', () => undefined);
    await client.connect();
    await writer.connect();
    try {
      await writer.set('csc:key', 'one');
      expect(await client.get('csc:key')).toBe('one');
      await writer.set('csc:key', 'two');
      // The invalidation push arrives before the next reply on the client's connection.
      let value: string | null = null;
      for (let i = 0; i < 100 && (value = await client.get('csc:key')) !== 'two'; i++) await new Promise((r) => setTimeout(r, 5));
      expect(value).toBe('two');
      expect(server.kernel.tracking.trackingClients).toBe(1);
    } finally {
      await client.close();
      await writer.close();
    }
  });
});
