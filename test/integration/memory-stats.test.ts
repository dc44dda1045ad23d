import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { parseReply, type RespNode } from '../helpers/resp-tree';

/**
 * MEMORY STATS: Redis 7.0's field names, order and reply types (RESP2 and RESP3) for the same
 * data, and figures that agree with INFO memory (total.allocated is used_memory).
 */
if (!hasRedisServer) console.warn(`MEMORY STATS comparison skipped: ${REDIS_MISSING}`);

/** The reply's shape: names and value types, nested maps included; numbers left out. */
function shape(node: RespNode): string[] {
  const items = node.children!;
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const name = items[i].raw.toString('latin1').split('\r\n')[1];
    const value = items[i + 1];
    out.push(`${name}:${value.type}`);
    if (value.children !== null) out.push(...shape(value).map((s) => `${name}/${s}`));
  }
  return out;
}

function numbers(node: RespNode): Map<string, number> {
  const m = new Map<string, number>();
  const items = node.children!;
  for (let i = 0; i < items.length; i += 2) {
    const raw = items[i + 1].raw.toString('latin1');
    m.set(items[i].raw.toString('latin1').split('\r\n')[1], Number(raw.startsWith('$') ? raw.split('\r\n')[1] : raw.slice(1, -2)));
  }
  return m;
}

describe.skipIf(!hasRedisServer)('MEMORY STATS, as redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  const conns: RawConnection[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix();
  });
  afterAll(async () => {
    for (const c of conns) c.close();
    await redix?.shutdown();
    await redis?.stop();
  });

  for (const protocol of [2, 3]) {
    it(`has Redis's fields in Redis's order with its types (RESP${protocol})`, async () => {
      const pair = [await RawConnection.connect(redis.port), await RawConnection.connect(redix.port)];
      conns.push(...pair);
      for (const c of pair) {
        await c.command(['HELLO', String(protocol)]);
        await c.command(['FLUSHALL']);
        await c.command(['SET', 'a', 'v']);
        await c.command(['SELECT', '3']);
        await c.command(['SET', 'b', 'v', 'EX', '100']);
      }
      const [theirs, ours] = await Promise.all(pair.map(async (c) => parseReply(await c.command(['MEMORY', 'STATS']))));
      expect(shape(ours)).toEqual(shape(theirs));
    });
  }

  it('agrees with INFO memory: total.allocated is used_memory, the dataset what the keys add', async () => {
    const c = await RawConnection.connect(redix.port);
    conns.push(c);
    await c.command(['FLUSHALL']);
    for (let i = 0; i < 1000; i++) await c.command(['SET', `key:${i}`, 'x'.repeat(100)]);
    const stats = numbers(parseReply(await c.command(['MEMORY', 'STATS'])));
    const info = (await c.command(['INFO', 'memory'])).toString('latin1');
    const field = (name: string) => Number(info.match(new RegExp(`${name}:(\\d+)`))![1]);
    expect(stats.get('total.allocated')).toBe(field('used_memory'));
    expect(stats.get('startup.allocated')).toBe(field('used_memory_startup'));
    expect(stats.get('keys.count')).toBe(1000);
    // Each key: a 100-byte value plus Redis's per-key overhead, as MEMORY USAGE counts it.
    expect(stats.get('dataset.bytes')!).toBeGreaterThan(1000 * 100);
    expect(stats.get('keys.bytes-per-key')!).toBeGreaterThan(100);
    expect(stats.get('dataset.percentage')!).toBeGreaterThan(0);
    expect(stats.get('dataset.percentage')!).toBeLessThanOrEqual(100);
    expect(stats.get('overhead.total')! + stats.get('dataset.bytes')!).toBe(stats.get('total.allocated'));
  });
});
