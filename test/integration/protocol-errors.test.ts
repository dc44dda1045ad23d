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
    it(`replies like Redis and closes: ${JSON.stringify(input)}`, async () => {
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
