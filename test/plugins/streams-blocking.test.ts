import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PropagatedArg, RedixServer } from '../../src/index';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';

/**
 * Blocking XREAD/XREADGROUP on the kernel's blocking framework, and what stream commands publish to
 * the AOF and replicas (XREADGROUP as XCLAIM / XGROUP SETID, XADD * with its ID, ~ trims exact).
 */
describe('streams: blocking reads and propagation', () => {
  let server: RedixServer;
  let published: string[] = [];
  const conns: RawConnection[] = [];
  const connect = async () => {
    const c = await RawConnection.connect(server.port);
    conns.push(c);
    return c;
  };
  const text = (b: Buffer) => b.toString('latin1');
  const blocked = async (n: number) => {
    for (let i = 0; i < 500 && server.kernel.blocking.blockedClients !== n; i++) await new Promise((r) => setTimeout(r, 2));
    expect(server.kernel.blocking.blockedClients).toBe(n);
  };
  const cmd = async (c: RawConnection, line: string) => text(await c.command(line.split(' ')));

  beforeAll(async () => {
    server = await startRedix();
    server.keyspace.feed.subscribe((_db, argv: readonly PropagatedArg[]) => published.push(argv.map(String).join(' ')));
  });
  afterAll(async () => {
    for (const c of conns) c.close();
    await server.shutdown();
  });
  beforeEach(async () => {
    const c = await connect();
    await c.command(['FLUSHALL']);
    published = [];
  });

  it('serves blocked XREAD clients in the order they blocked, $ resolved when they blocked', async () => {
    const [a, b, w] = [await connect(), await connect(), await connect()];
    await cmd(w, 'XADD s 1-1 f v');
    a.write(encodeCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']));
    await blocked(1);
    b.write(encodeCommand(['XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '0']));
    // b asked for entries after 0: it is served at once.
    expect(text((await b.readReplies(1))[0])).toBe('*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
    await cmd(w, 'XADD s 2-1 g w');
    expect(text((await a.readReplies(1))[0])).toBe('*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n');
    await blocked(0);
  });

  it('times out with a null array, never blocks inside MULTI', async () => {
    const a = await connect();
    expect(await cmd(a, 'XREAD BLOCK 20 STREAMS s 0')).toBe('*-1\r\n');
    a.write(Buffer.concat(['MULTI', 'XREAD BLOCK 0 STREAMS s $', 'EXEC'].map((l) => encodeCommand(l.split(' ')))));
    expect((await a.readReplies(3)).map(text)).toEqual(['+OK\r\n', '+QUEUED\r\n', '*1\r\n*-1\r\n']);
  });

  it('unblocks XREADGROUP with NOGROUP when the group is destroyed, counted as a failed call', async () => {
    const [a, w] = [await connect(), await connect()];
    await cmd(w, 'CONFIG RESETSTAT');
    await cmd(w, 'XGROUP CREATE s g $ MKSTREAM');
    a.write(encodeCommand(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']));
    await blocked(1);
    await cmd(w, 'XGROUP DESTROY s g');
    expect(text((await a.readReplies(1))[0])).toBe('-NOGROUP the consumer group this client was blocked on no longer exists\r\n');
    expect(await cmd(w, 'INFO commandstats')).toMatch(/cmdstat_xreadgroup:calls=1,.*,rejected_calls=0,failed_calls=1/);
  });

  it('unblocks XREADGROUP when the key is deleted or the database flushed', async () => {
    const [a, w] = [await connect(), await connect()];
    for (const end of ['DEL s', 'FLUSHALL']) {
      await cmd(w, 'XGROUP CREATE s g $ MKSTREAM');
      a.write(encodeCommand(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']));
      await blocked(1);
      await cmd(w, end);
      expect(text((await a.readReplies(1))[0])).toBe('-UNBLOCKED the stream key no longer exists\r\n');
    }
  });

  it('propagates XREADGROUP as XCLAIM per entry (MULTI/EXEC around several) and NOACK as XGROUP SETID', async () => {
    const w = await connect();
    await cmd(w, 'XADD s 1-1 a 1');
    await cmd(w, 'XADD s 2-1 b 2');
    await cmd(w, 'XGROUP CREATE s g 0');
    published = [];
    await cmd(w, 'XREADGROUP GROUP g alice STREAMS s >');
    expect(published.map((p) => p.replace(/TIME \d+/, 'TIME t'))).toEqual([
      'MULTI',
      'XCLAIM s g alice 0 1-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 1-1',
      'XCLAIM s g alice 0 2-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 2-1',
      'EXEC',
    ]);
    await cmd(w, 'XADD s 3-1 c 3');
    published = [];
    await cmd(w, 'XREADGROUP GROUP g bob NOACK STREAMS s >');
    expect(published).toEqual(['MULTI', 'XGROUP CREATECONSUMER s g bob', 'XGROUP SETID s g 3-1 ENTRIESREAD 3', 'EXEC']);
    published = [];
    await cmd(w, 'XREADGROUP GROUP g bob STREAMS s >');
    expect(published).toEqual([]);
  });

  it('propagates a blocked XREADGROUP as the XCLAIM of what it was served', async () => {
    const [a, w] = [await connect(), await connect()];
    await cmd(w, 'XGROUP CREATE s g $ MKSTREAM');
    a.write(encodeCommand(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']));
    await blocked(1);
    published = [];
    await cmd(w, 'XADD s 5-1 f v');
    await a.readReplies(1);
    expect(published.map((p) => p.replace(/TIME \d+/, 'TIME t'))).toEqual(['XADD s 5-1 f v', 'XCLAIM s g c 0 5-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 5-1']);
  });

  it('propagates XADD * with its ID and ~ trims as the exact = form', async () => {
    const w = await connect();
    const id = (await cmd(w, 'XADD s * f v')).split('\r\n')[1];
    expect(published).toEqual([`XADD s ${id} f v`]);
    await cmd(w, 'XADD s 99999999999999-* f v');
    expect(published[1]).toBe('XADD s 99999999999999-0 f v');
    published = [];
    for (let i = 0; i < 250; i++) await cmd(w, `XADD t ${i + 1}-1 f v`);
    published = [];
    await cmd(w, 'XADD t MAXLEN ~ 10 1000-1 f v');
    expect(published).toEqual(['XADD t MAXLEN = 51 1000-1 f v']);
    for (let i = 0; i < 250; i++) await cmd(w, `XADD u ${i + 1}-1 f v`);
    published = [];
    await cmd(w, 'XTRIM u MINID ~ 120');
    expect(published).toEqual(['XTRIM u MINID = 101-1']);
  });
  it('emits the keyspace events Redis 7.0 emits', async () => {
    const [sub, w] = [await connect(), await connect()];
    await cmd(w, 'CONFIG SET notify-keyspace-events KEA');
    await sub.command(['PSUBSCRIBE', '__keyevent@0__:*']);
    const lines = [
      'XADD s 1-1 a b', 'XADD s MAXLEN 1 2-1 a b', 'XDEL s 2-1', 'XDEL s 9-9', 'XGROUP CREATE s g 0', 'XGROUP CREATE s2 g $ MKSTREAM',
      'XGROUP SETID s g 0', 'XGROUP CREATECONSUMER s g c', 'XREADGROUP GROUP g d STREAMS s >', 'XGROUP DELCONSUMER s g c',
      'XCLAIM s g e 0 1-1', 'XSETID s 5-5', 'XTRIM s MAXLEN 0', 'XGROUP DESTROY s g', 'XACK s g 1-1',
    ];
    for (const line of lines) await cmd(w, line);
    await cmd(w, 'CONFIG SET notify-keyspace-events ""');
    const events = ['xadd', 'xadd', 'xtrim', 'xdel', 'xgroup-create', 'xgroup-create', 'xgroup-setid', 'xgroup-createconsumer', 'xgroup-delconsumer', 'xsetid', 'xgroup-destroy'];
    const got = (await sub.readReplies(events.length)).map((r) => /__keyevent@0__:([a-z-]+)\r\n/.exec(text(r))![1]);
    expect(got).toEqual(events);
  });
});
