import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

/** Sends raw bytes and collects everything the server says until it closes the connection. */
async function replyThenClose(port: number, input: string): Promise<string> {
  const conn = await RawConnection.connect(port);
  conn.write(Buffer.from(input, 'latin1'));
  await conn.waitClosed();
  return conn.pending.toString('latin1');
}

const MALFORMED = [
  '*abc\r\n',
  '*1\r\n$-5\r\n',
  '*1\r\n$x\r\n',
  '*1\r\n+PING\r\n',
  '*2\r\n$4\r\nECHO\r\n:1\r\n',
  'SET "unbalanced\r\n',
  "SET 'a'b\r\n",
  '*1\r\n$4\r\nPING\r\n*1\r\n!\r\n',
  'PING\r\n*x\r\n',
  '*01\r\n$4\r\nPING\r\n',
  '*1\r\n$04\r\nPING\r\n',
  '*1\r\n$-0\r\n',
  '*1 \r\n',
  '*1\n$4\r\nPING\r\n',
  '*2147483648\r\n',
  '*1\r\n$536870913\r\n',
  '*1\r\n$\r\n',
  `${'x'.repeat(70_000)}`,
  `*${'1'.repeat(70_000)}`,
  `*1\r\n$${'1'.repeat(70_000)}`,
  `*1\r\n$4\r\nPING\r\n*1\r\n$${'1'.repeat(70_000)}`,
];

describe.skipIf(!hasRedisServer)('protocol errors, compared with redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix();
  });
  afterAll(async () => {
    await redix?.shutdown();
    await redis?.stop();
  });

  for (const input of MALFORMED) {
    it(`replies like Redis and closes: ${JSON.stringify(input.length > 60 ? `${input.slice(0, 40)}... (${input.length} bytes)` : input)}`, async () => {
      const [expected, actual] = await Promise.all([replyThenClose(redis.port, input), replyThenClose(redix.port, input)]);
      expect(actual).toBe(expected);
    });
  }

  it('closes only the offending connection', async () => {
    const bystander = await RawConnection.connect(redix.port);
    expect((await bystander.command(['PING'])).toString()).toBe('+PONG\r\n');
    await replyThenClose(redix.port, '*1\r\n$x\r\n');
    expect((await bystander.command(['ECHO', 'still here'])).toString()).toBe('$10\r\nstill here\r\n');
    bystander.close();
  });
});

/** Before AUTH, Redis limits how big a request may be (10 arguments, 16 KB bulks). */
const UNAUTHENTICATED = [
  '*11\r\n',
  '*10\r\n$4\r\nECHO\r\n',
  '*1\r\n$16385\r\n',
  '*2\r\n$4\r\nECHO\r\n$16384\r\n',
];

describe.skipIf(!hasRedisServer)('protocol limits before AUTH, compared with redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  beforeAll(async () => {
    redis = await startRedisServer(['--requirepass', 'secret']);
    redix = await startRedix({ requirepass: 'secret' });
  });
  afterAll(async () => {
    await redix?.shutdown();
    await redis?.stop();
  });

  for (const input of UNAUTHENTICATED) {
    it(`replies like Redis: ${JSON.stringify(input)}`, async () => {
      const [expected, actual] = await Promise.all([replyOrClose(redis.port, input), replyOrClose(redix.port, input)]);
      expect(actual).toBe(expected);
    });
  }
});

/** What the server says within a short while (or until it closes). */
async function replyOrClose(port: number, input: string): Promise<string> {
  const conn = await RawConnection.connect(port);
  conn.write(Buffer.from(input, 'latin1'));
  await Promise.race([conn.waitClosed(), new Promise((r) => setTimeout(r, 300))]);
  const said = conn.pending.toString('latin1') + (conn.closed ? '<closed>' : '');
  conn.close();
  return said;
}
