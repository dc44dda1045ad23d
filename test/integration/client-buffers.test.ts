import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * CLIENT LIST's qbuf and qbuf-free follow one client's query buffer as Redis 7.0 sizes it: 16 kB
 * room after the first read, a big argument's size kept after it, the bytes of an unfinished
 * command, trimmed to the recent peak while busy and freed after two idle seconds (the clients
 * cron). rbs and rbp follow its reply buffer: shrunk towards the peak when idle, doubled while
 * replies fill it, as DEBUG REPLYBUFFER tunes. The same bytes go to a real redis-server and to
 * Redix and the fields must agree.
 */
if (!hasRedisServer) console.warn(`client-buffers tests skipped: ${REDIS_MISSING}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasRedisServer)('query buffer figures in CLIENT LIST, as redis-server', () => {
  const servers = useRedisAndRedix({ enableDebugCommand: 'yes' }, ['--enable-debug-command', 'yes']);
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

  /** "qbuf=N qbuf-free=M" (or the fields `pattern` matches) of the watched client, per server. */
  const figures = async (pattern = /qbuf=\d+ qbuf-free=\d+/): Promise<string[]> =>
    Promise.all(observers.map(async (o) => {
      const list = (await o.command(['CLIENT', 'LIST'])).toString('latin1');
      const line = list.split('\n').find((l) => l.includes('name=watched')) ?? '';
      return pattern.exec(line)?.[0] ?? `no watched client in ${list}`;
    }));
  const REPLY_BUFFER = /rbs=\d+ rbp=\d+/;
  const same = async (label: string, pattern?: RegExp): Promise<string> => {
    const [redis, redix] = await figures(pattern);
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

  it('an idle client reply buffer shrinks to 1 kB; a busy one doubles back to 16 kB', async () => {
    // rbp is what the last replies filled since the peak was reset (the same bytes on both servers).
    expect(await same('reply buffer after idling', REPLY_BUFFER)).toMatch(/^rbs=1024 /);
    await Promise.all(observers.map((o) => o.command(['SET', 'big', 'x'.repeat(32768)])));
    for (const o of observers) expect((await o.command(['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'never'])).toString()).toBe('+OK\r\n');
    let figures16k = [''];
    for (let i = 0; i < 40 && !figures16k.every((f) => f === 'rbs=16384 rbp=16384'); i++) {
      await both(['GET', 'big']);
      await sleep(100);
      figures16k = await figures(REPLY_BUFFER);
    }
    expect(figures16k).toEqual(['rbs=16384 rbp=16384', 'rbs=16384 rbp=16384']);
    const expands = await Promise.all(observers.map(async (o) => /reply_buffer_expands:(\d+)/.exec((await o.command(['INFO', 'stats'])).toString())?.[1]));
    expect(Number(expands[1])).toBeGreaterThanOrEqual(4); // 1 -> 2 -> 4 -> 8 -> 16 kB
    for (const args of [['PEAK-RESET-TIME', 'abc'], ['PEAK-RESET-TIME', 'reset'], ['FOO', '1'], ['RESIZING', '1']]) {
      const [redis, redix] = await Promise.all(observers.map((o) => o.command(['DEBUG', 'REPLYBUFFER', ...args])));
      expect(redix.toString(), args.join(' ')).toBe(redis.toString());
    }
  });
});
