import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * CLIENT LIST's qbuf and qbuf-free follow one client's query buffer as Redis 7.0 sizes it: 16 kB
 * room after the first read, a big argument's size kept after it, the bytes of an unfinished
 * command, trimmed to the recent peak while busy and freed after two idle seconds (the clients
 * cron). The same bytes go to a real redis-server and to Redix and the two fields must agree.
 */
if (!hasRedisServer) console.warn(`query-buffer tests skipped: ${REDIS_MISSING}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasRedisServer)('query buffer figures in CLIENT LIST, as redis-server', () => {
  const servers = useRedisAndRedix();
  // Per server: an observer that runs CLIENT LIST, and the client it watches.
  let observers: RawConnection[];
  let watched: RawConnection[];
  beforeAll(async () => {
    const ports = [servers.redis.port, servers.redix.port];
    observers = await Promise.all(ports.map((p) => RawConnection.connect(p)));
    watched = await Promise.all(ports.map((p) => RawConnection.connect(p)));
    await Promise.all(watched.map((c) => c.command(['CLIENT', 'SETNAME', 'watched'])));
  });
  afterAll(() => {
    for (const c of [...(observers ?? []), ...(watched ?? [])]) c.close();
  });

  /** "qbuf=N qbuf-free=M" of the watched client, per server. */
  const figures = async (): Promise<string[]> =>
    Promise.all(observers.map(async (o) => {
      const list = (await o.command(['CLIENT', 'LIST'])).toString('latin1');
      const line = list.split('\n').find((l) => l.includes('name=watched')) ?? '';
      return /qbuf=\d+ qbuf-free=\d+/.exec(line)?.[0] ?? `no watched client in ${list}`;
    }));
  const same = async (label: string): Promise<string> => {
    const [redis, redix] = await figures();
    expect(redix, label).toBe(redis);
    return redix;
  };
  const both = (args: (string | Buffer)[]) => Promise.all(watched.map((c) => c.command(args)));

  it('a fresh client has the room of one read, all of it free', async () => {
    expect(await same('fresh')).toBe('qbuf=0 qbuf-free=20474');
  });

  it('a big argument leaves a buffer of its size; smaller commands trim it back to their peak', async () => {
    await both(['SET', 'x', 'A'.repeat(400000)]);
    expect(await same('after a 400 kB argument')).toBe('qbuf=0 qbuf-free=458742');
    let shrunk = '';
    for (let i = 0; i < 40 && !shrunk.endsWith('qbuf-free=128'); i++) {
      await both(['SET', 'x', 'A'.repeat(100)]);
      await sleep(50);
      shrunk = (await figures())[1];
    }
    // The cron trimmed it to the 128 bytes of the last SET, then the next read made 16 kB room again.
    expect(shrunk).toBe('qbuf=0 qbuf-free=128');
    await both(['PING']);
    await same('the read after the trim');
  });

  it('an unfinished command is held in the buffer', async () => {
    const request = encodeCommand(['SET', 'k', 'AAAAAAAAAA']);
    for (const c of watched) c.write(request.subarray(0, request.length - 10));
    await sleep(100);
    expect(await same('partial')).toBe('qbuf=2 qbuf-free=20472');
    for (const c of watched) c.write(request.subarray(request.length - 10));
    await Promise.all(watched.map((c) => c.readReplies(1)));
    await same('completed');
  });

  it('an idle client loses its buffer after two seconds', async () => {
    await sleep(3300);
    expect(await same('idle')).toBe('qbuf=0 qbuf-free=0');
  }, 10000);
});
