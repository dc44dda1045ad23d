import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { freePort } from '../helpers/free-port';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** CONFIG SET port and bind take effect live, as in Redis 7; failures leave the old address. */
describe.skipIf(!hasRedisServer)('CONFIG SET port / bind, compared with redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  let busy: net.Server;
  let busyPort: number;
  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix();
    busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    busyPort = (busy.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    busy?.close();
    await redix?.shutdown();
    await redis?.stop();
  });

  it('refuses a port in use and an address it cannot bind with Redis\'s errors, still serving', async () => {
    for (const args of [['CONFIG', 'SET', 'port', String(busyPort)], ['CONFIG', 'SET', 'bind', '192.0.2.254'], ['CONFIG', 'SET', 'port', 'abc']]) {
      const [real, ours] = await Promise.all([redis.port, redix.port].map(async (port) => {
        const conn = await RawConnection.connect(port);
        const reply = (await conn.command(args)).toString('latin1');
        const after = (await conn.command(['CONFIG', 'GET', args[2]])).toString('latin1');
        conn.close();
        return { reply, after: after.replace(/\d{4,5}/, '<port>') };
      }));
      expect(ours, args.join(' ')).toEqual(real);
      expect(await canConnect(redix.port)).toBe(true);
    }
  });

  it('moves to a new port before replying; commands pipelined behind it are answered in order', async () => {
    const oldPort = redix.port;
    const newPort = await freePort();
    const conn = await RawConnection.connect(oldPort);
    conn.write(Buffer.concat([encodeCommand(['CONFIG', 'SET', 'port', String(newPort)]), encodeCommand(['CONFIG', 'GET', 'port']), encodeCommand(['ECHO', 'after'])]));
    const replies = await conn.readReplies(3);
    expect(replies.map((r) => r.toString('latin1'))).toEqual(['+OK\r\n', `*2\r\n$4\r\nport\r\n$${String(newPort).length}\r\n${newPort}\r\n`, '$5\r\nafter\r\n']);
    expect(redix.port).toBe(newPort);
    expect(await canConnect(newPort)).toBe(true);
    expect(await canConnect(oldPort)).toBe(false);
    // The connection that asked stays up on the old socket.
    expect((await conn.command(['PING'])).toString()).toBe('+PONG\r\n');
    conn.close();
  });
});
