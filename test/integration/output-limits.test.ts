import { describe, expect, it } from 'vitest';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * client-output-buffer-limit, against a real redis-server with the same settings: a subscriber
 * that stops reading is closed at the pubsub class's hard limit, a normal client that pipelines
 * big replies without reading at the normal class's, and the others carry on.
 */
if (!hasRedisServer) console.warn(`output buffer limit tests skipped: ${REDIS_MISSING}`);

const LIMITS = 'normal 1mb 512kb 2 pubsub 512kb 256kb 2';

describe.skipIf(!hasRedisServer)('client output buffer limits, as redis-server', () => {
  const servers = useRedisAndRedix({ clientOutputBufferLimit: LIMITS });
  const both = () => [['redis', servers.redis.port], ['redix', servers.redix.port]] as const;

  async function configure(port: number): Promise<void> {
    const admin = await RawConnection.connect(port);
    expect((await admin.command(['CONFIG', 'SET', 'client-output-buffer-limit', LIMITS])).toString()).toBe('+OK\r\n');
    admin.close();
  }

  it('a subscriber that does not read is disconnected at the pubsub hard limit; the publisher is not', async () => {
    for (const [name, port] of both()) {
      await configure(port);
      const sub = await RawConnection.connect(port);
      await sub.command(['SUBSCRIBE', 'flood']);
      sub.pauseReading();
      const pub = await RawConnection.connect(port);
      const message = 'm'.repeat(4096);
      let sent = 0;
      // Published in batches until the server drops the subscriber (bounded: 64 MB at most).
      for (; sent < 16_384 && (await subscriberCount(pub)) === 1; sent += 64) {
        pub.write(Buffer.concat(Array.from({ length: 64 }, () => encodeCommand(['PUBLISH', 'flood', message]))));
        await pub.readReplies(64);
      }
      expect(await subscriberCount(pub), `${name}: the subscriber was dropped`).toBe(0);
      // Well before 64 MB: the 512 KB limit plus what the kernel's socket buffers hold.
      expect(sent * 4096, name).toBeLessThan(32 * 1024 * 1024);
      expect((await pub.command(['PING'])).toString(), name).toBe('+PONG\r\n');
      pub.close();
      sub.close();
    }
  });

  it('a normal client pipelining big replies without reading is disconnected at the normal hard limit', async () => {
    for (const [name, port] of both()) {
      await configure(port);
      const setter = await RawConnection.connect(port);
      await setter.command(['SET', 'big', 'b'.repeat(100_000)]);
      const greedy = await RawConnection.connect(port);
      greedy.pauseReading();
      // 100 GETs of 100 KB per write: 10 MB, far over the 1 MB limit once the socket is full.
      for (let i = 0; i < 20 && !greedy.closed; i++) greedy.write(Buffer.concat(Array.from({ length: 100 }, () => encodeCommand(['GET', 'big']))));
      let clients = 2;
      for (let i = 0; i < 200 && (clients = await connectedClients(setter)) > 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(clients, `${name}: only the setter is left`).toBe(1);
      expect((await setter.command(['GET', 'missing'])).toString(), name).toBe('$-1\r\n');
      setter.close();
      greedy.close();
    }
  });

  it('a reply that alone passes the hard limit is never written: the client is closed with nothing read', async () => {
    for (const [name, port] of both()) {
      const admin = await RawConnection.connect(port);
      await admin.command(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100000 0 0']);
      await admin.command(['DEL', 'biglist']);
      for (let i = 0; i < 150; i++) await admin.command(['RPUSH', 'biglist', 'x'.repeat(1000)]);
      const reader = await RawConnection.connect(port);
      expect((await reader.command(['LRANGE', 'biglist', '0', '9'])).length, name).toBeGreaterThan(10_000);
      // 150 kB in one reply: over the 100 kB limit before any of it is sent.
      reader.write(encodeCommand(['LRANGE', 'biglist', '0', '-1']));
      await reader.waitClosed();
      expect(reader.unreadBytes, `${name}: nothing of the reply arrived`).toBe(0);
      // A transaction whose replies pass it runs completely all the same.
      const multi = await RawConnection.connect(port);
      multi.write(Buffer.concat([['MULTI'], ['SET', 'k2', 'v2'], ['LRANGE', 'biglist', '0', '-1'], ['SET', 'k3', 'v3'], ['EXEC']].map((c) => encodeCommand(c))));
      await multi.waitClosed();
      expect((await admin.command(['MGET', 'k2', 'k3'])).toString(), name).toBe('*2\r\n$2\r\nv2\r\n$2\r\nv3\r\n');
      await admin.command(['CONFIG', 'SET', 'client-output-buffer-limit', LIMITS]);
      admin.close();
      reader.close();
      multi.close();
    }
  });

  it('a random-member reply with a huge negative count stops at the limit, and the client is closed unanswered', async () => {
    for (const [name, port] of both()) {
      const admin = await RawConnection.connect(port);
      await admin.command(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1000000 0 0']);
      await admin.command(['HSET', 'rh', 'a', 'b']);
      await admin.command(['SADD', 'rs', 'a']);
      await admin.command(['ZADD', 'rz', '1', 'a']);
      // A billion picks would take minutes and gigabytes; the limit stops each after about 1 MB.
      for (const command of [['HRANDFIELD', 'rh', '-999999999'], ['SRANDMEMBER', 'rs', '-999999999'], ['ZRANDMEMBER', 'rz', '-999999999']]) {
        const conn = await RawConnection.connect(port);
        conn.write(encodeCommand(command));
        await conn.waitClosed(5000);
        expect(conn.unreadBytes, `${name} ${command[0]}`).toBe(0);
        conn.close();
      }
      // KEYS of 1000 keys of 100 bytes: about 100 kB of replies, over 100 kB once counted in Redis's
      // 20 kB reply blocks beyond its 16 kB buffer.
      await admin.command(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100000 0 0']);
      admin.write(Buffer.concat(Array.from({ length: 1000 }, (_, i) => encodeCommand(['SET', `${'k'.repeat(100)}${i}`, 'v']))));
      await admin.readReplies(1000);
      const keys = await RawConnection.connect(port);
      keys.write(encodeCommand(['KEYS', 'k*']));
      await keys.waitClosed(5000);
      expect(keys.unreadBytes, `${name} KEYS`).toBe(0);
      keys.close();
      expect((await admin.command(['PING'])).toString(), name).toBe('+PONG\r\n');
      await admin.command(['CONFIG', 'SET', 'client-output-buffer-limit', LIMITS]);
      admin.close();
    }
  });
});

async function subscriberCount(conn: RawConnection): Promise<number> {
  const reply = (await conn.command(['PUBSUB', 'NUMSUB', 'flood'])).toString();
  return Number(/:(\d+)\r\n$/.exec(reply)?.[1]);
}

async function connectedClients(conn: RawConnection): Promise<number> {
  const info = (await conn.command(['INFO', 'clients'])).toString();
  return Number(/connected_clients:(\d+)/.exec(info)?.[1]);
}
