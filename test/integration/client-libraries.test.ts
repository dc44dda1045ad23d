import Redis from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { hasRedisCli } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { runProcess } from '../helpers/run-process';

/** The clients users point at Redis, unchanged, against Redix. */
describe('client libraries', () => {
  let server: RedixServer;
  beforeAll(async () => {
    server = await startRedix();
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  for (const protocol of [3, 2] as const) {
    it(`ioredis with ${protocol === 3 ? 'default options (RESP3)' : 'RESP2 forced'}`, async () => {
      const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, ...(protocol === 2 ? { protocol: 2 } : {}) });
      await client.connect();
      try {
        expect(await client.ping()).toBe('PONG');
        expect(await client.set(`ioredis:${protocol}:key`, 'value')).toBe('OK');
        expect(await client.get(`ioredis:${protocol}:key`)).toBe('value');
        expect(await client.hset(`ioredis:${protocol}:hash`, 'a', '1', 'b', '2')).toBe(2);
        expect(await client.hgetall(`ioredis:${protocol}:hash`)).toEqual({ a: '1', b: '2' });
        expect(await client.call('CONFIG', 'GET', 'databases')).toEqual(['databases', '16']);
        const info = (await client.call('CLIENT', 'INFO')) as string;
        expect(info).toContain(`resp=${protocol}`);
      } finally {
        client.disconnect();
      }
    });

    it(`node-redis with ${protocol === 3 ? 'default options (RESP3)' : 'RESP2 forced'}`, async () => {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, ...(protocol === 2 ? { RESP: 2 } : {}) });
      client.on('error', () => undefined);
      await client.connect();
      try {
        expect(await client.ping()).toBe('PONG');
        expect(await client.set(`node-redis:${protocol}:key`, 'value')).toBe('OK');
        expect(await client.get(`node-redis:${protocol}:key`)).toBe('value');
        await client.hSet(`node-redis:${protocol}:hash`, { a: '1', b: '2' });
        const all = await client.hGetAll(`node-redis:${protocol}:hash`);
        expect({ ...all }).toEqual({ a: '1', b: '2' });
        const info = await client.sendCommand(['CLIENT', 'INFO']);
        expect(String(info)).toContain(`resp=${protocol}`);
      } finally {
        await client.close();
      }
    });
  }

  it('answers a pipeline of 10,000 commands sent in one write, in order', async () => {
    const conn = await RawConnection.connect(server.port);
    const n = 10_000;
    const requests = Buffer.concat(Array.from({ length: n }, (_, i) => encodeCommand(['ECHO', `m${i}`])));
    conn.write(requests);
    const replies = await conn.readReplies(n, 30_000);
    expect(replies.length).toBe(n);
    // Every reply, in order: the i-th answers the i-th command.
    const wrong = replies.findIndex((r, i) => r.toString() !== `$${`m${i}`.length}\r\nm${i}\r\n`);
    expect(wrong, wrong < 0 ? '' : `reply ${wrong}: ${JSON.stringify(replies[wrong].toString())}`).toBe(-1);
    conn.close();
  });

  it.skipIf(!hasRedisCli)('redis-cli: commands, quoting from stdin and errors', async () => {
    const cli = async (...args: string[]) => (await runProcess('redis-cli', ['-p', String(server.port), ...args])).stdout;
    expect(await cli('PING')).toBe('PONG\n');
    expect(await cli('SET', 'cli:key', 'hello world')).toBe('OK\n');
    expect(await cli('GET', 'cli:key')).toBe('hello world\n');
    expect(await cli('NOSUCH')).toContain("ERR unknown command 'NOSUCH'");
    const piped = await runProcess('redis-cli', ['-p', String(server.port)], { input: 'SET "a b" "c d"\nGET "a b"\n' });
    expect(piped.stdout).toBe('OK\nc d\n');
  });
});
