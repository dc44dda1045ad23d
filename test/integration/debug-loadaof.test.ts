import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { startRedix } from '../helpers/redix';

/** DEBUG LOADAOF (the aof plugin's): the dataset replaced by what the AOF files on disk say. */
describe('DEBUG LOADAOF', () => {
  let dir: string;
  let server: RedixServer;
  let client: Redis;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redix-loadaof-'));
    server = await startRedix({ dir, appendonly: 'yes', appendfsync: 'always', enableDebugCommand: 'yes' });
    client = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  const aofBytes = () => readdirSync(join(dir, 'appendonlydir')).reduce((n, f) => n + statSync(join(dir, 'appendonlydir', f)).size, 0);

  it('keeps TTLs as the AOF wrote them (SET KEEPTTL, GETEX PERSIST) and appends nothing while replaying', async () => {
    await client.set('foo', 'bar', 'EX', 100);
    await client.set('foo', 'bar2', 'KEEPTTL');
    await client.set('gone', 'x', 'EX', 100);
    await client.call('GETEX', 'gone', 'PERSIST');
    await client.rpush('list', 'a', 'b', 'c');
    await client.select(3);
    await client.hset('h', 'f', 'v');
    await client.select(0);
    const before = aofBytes();
    expect(await client.call('DEBUG', 'LOADAOF')).toBe('OK');
    expect(aofBytes()).toBe(before);
    expect(await client.get('foo')).toBe('bar2');
    const ttl = await client.ttl('foo');
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await client.ttl('gone')).toBe(-1);
    expect(await client.lrange('list', 0, -1)).toEqual(['a', 'b', 'c']);
    await client.select(3);
    expect(await client.hgetall('h')).toEqual({ f: 'v' });
    await client.select(0);
    // Writes after the reload are appended again.
    await client.set('after', '1');
    expect(aofBytes()).toBeGreaterThan(before);
  });

  it('drops what is only in memory: a key the AOF never saw is gone after the reload', async () => {
    await client.call('CONFIG', 'SET', 'appendonly', 'no');
    await client.set('memory-only', '1');
    // With AOF off, the files on disk are still what DEBUG LOADAOF replays (as Redis's).
    expect(await client.call('DEBUG', 'LOADAOF')).toBe('OK');
    expect(await client.exists('memory-only')).toBe(0);
    expect(await client.get('after')).toBe('1');
  });
});
