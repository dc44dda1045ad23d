import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { highestEquivalent } from '../../src/commands/latency-histogram';

/** Fields Redix adds to Redis's (its own version and Node's). */
const REDIX_ONLY = new Set(['redix_version', 'node_version']);

/** The text of a bulk (RESP2) INFO reply, as lines without CRLF. */
function infoLines(reply: Buffer): string[] {
  const text = reply.toString('latin1');
  const body = text.slice(text.indexOf('\r\n') + 2);
  return body.split('\r\n').filter((l) => l !== '');
}

const fieldNames = (lines: string[]) => lines.filter((l) => !l.startsWith('#')).map((l) => l.slice(0, l.indexOf(':'))).filter((n) => !REDIX_ONLY.has(n));
const headers = (lines: string[]) => lines.filter((l) => l.startsWith('#'));

/**
 * INFO compared with redis-server 7.0: the same section titles in the same order for every
 * selector, and the same field names in the same order in each section. Values differ
 * legitimately (memory, pids, times), except where both servers saw the same commands.
 */
describe.skipIf(!hasRedisServer)('INFO fields, compared with redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  let conns: [RawConnection, RawConnection];
  const both = async (args: string[]) => Promise.all(conns.map((c) => c.command(args)));

  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix();
    conns = [await RawConnection.connect(redis.port), await RawConnection.connect(redix.port)];
    // The same history on both: a key (keyspace line), an arity error, a WRONGTYPE error.
    await both(['GET']);
    await both(['CONFIG', 'RESETSTAT']);
    await both(['SET', 'k', 'v']);
    await both(['GET']);
    await both(['HGET', 'k', 'f']);
    await both(['NOSUCHCOMMAND']);
  });
  afterAll(async () => {
    for (const c of conns ?? []) c.close();
    await redix?.shutdown();
    await redis?.stop();
  });

  for (const section of ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace']) {
    it(`INFO ${section}: same title and field names in the same order`, async () => {
      const [real, ours] = (await both(['INFO', section])).map(infoLines);
      expect(headers(ours)).toEqual(headers(real));
      expect(fieldNames(ours)).toEqual(fieldNames(real));
    });
  }

  for (const selector of [[], ['default'], ['all'], ['everything'], ['server', 'keyspace'], ['nosuchsection']]) {
    it(`INFO ${selector.join(' ') || '(no argument)'}: same sections in the same order`, async () => {
      const [real, ours] = (await both(['INFO', ...selector])).map(infoLines);
      expect(headers(ours)).toEqual(headers(real));
    });
  }

  it('CLIENT INFO and CLIENT LIST: Redis 7.0\'s fields in its order, and the same state', async () => {
    await both(['CLIENT', 'SETNAME', 'probe']);
    await both(['SELECT', '2']);
    for (const args of [['CLIENT', 'INFO'], ['CLIENT', 'LIST'], ['CLIENT', 'LIST', 'TYPE', 'normal']]) {
      const [real, ours] = (await both(args)).map((reply) => {
        const r = reply.toString('latin1');
        const text = r.slice(r.indexOf('\r\n') + 2).trim();
        const fields = text.split('\n')[0].split(' ').map((f) => f.split('='));
        // Values that depend on the process (ids, addresses, fds, ages, buffer sizes) are not compared.
        return fields.map(([k, v]) => (['name', 'db', 'flags', 'sub', 'psub', 'ssub', 'multi', 'cmd', 'user', 'redir', 'resp'].includes(k) ? `${k}=${v}` : k)).join(' ');
      });
      expect(ours, args.join(' ')).toBe(real);
    }
    await both(['SELECT', '0']);
  });

  it('counts errors and commands as Redis does (errorstats, commandstats, keyspace)', async () => {
    const [realStats, ourStats] = (await both(['INFO', 'stats'])).map(infoLines);
    const errors = (lines: string[]) => lines.find((l) => l.startsWith('total_error_replies:'));
    expect(errors(ourStats)).toBe(errors(realStats));
    const [realErrors, ourErrors] = (await both(['INFO', 'errorstats'])).map(infoLines);
    expect(ourErrors).toEqual(realErrors);
    const [realKeyspace, ourKeyspace] = (await both(['INFO', 'keyspace'])).map(infoLines);
    expect(ourKeyspace).toEqual(realKeyspace);
    // Command statistics of what both saw; usec is not measured by Redix.
    const [realCommands, ourCommands] = (await both(['INFO', 'commandstats'])).map((r) =>
      infoLines(r).map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=*')).sort());
    expect(ourCommands).toEqual(realCommands);
  });

  it('latencystats: a line per command that ran, with the percentiles asked for, as Redis\'s HdrHistogram edges', async () => {
    // CONFIG RESETSTAT's own call is timed (so listed) only when it is one of the timed calls.
    const lines = async (section: string) => (await both(['INFO', section])).map((r) => infoLines(r).filter((l) => !l.startsWith('#') && !l.includes('config|resetstat')));
    await both(['CONFIG', 'RESETSTAT']);
    for (let i = 0; i < 40; i++) await both(['SET', `lat:${i}`, 'v']);
    await both(['GET', 'lat:1']);
    await both(['HSET', 'lat:h', 'f', 'v']);
    const [real, ours] = await lines('latencystats');
    const shape = (l: string) => l.replace(/=\d+\.\d{3}/g, '=*');
    expect(ours.map(shape).sort()).toEqual(real.map(shape).sort());
    expect(ours.map(shape)).toContain('latency_percentiles_usec_set:p50=*,p99=*,p99.9=*');
    // Every figure is the top of one of Redis's buckets (1 ns to 1 s, 2 significant digits).
    for (const l of ours) {
      for (const [, text] of l.matchAll(/=(\d+\.\d{3})/g)) {
        const ns = Math.round(Number(text) * 1000);
        expect(ns, l).toBe(highestEquivalent(ns));
      }
    }
    // p0 is a bucket's bottom, as hdr_value_at_percentile gives it; the labels as Redis prints them.
    await both(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 100 0.001']);
    const [real0, ours0] = await lines('latencystats');
    expect(ours0.map(shape).sort()).toEqual(real0.map(shape).sort());
    await both(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '']);
    const [realNone, oursNone] = await lines('latencystats');
    expect(oursNone.sort()).toEqual(realNone.sort());
    await both(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9']);
    await both(['CONFIG', 'SET', 'latency-tracking', 'no']);
    expect(await lines('latencystats')).toEqual([[], []]);
    await both(['CONFIG', 'SET', 'latency-tracking', 'yes']);
    // usec is measured (scaled from the timed calls), and usec_per_call is usec / calls: KEYS over
    // 40 keys takes microseconds, so its timed calls (the 1st and the 17th) cannot read 0.
    for (let i = 0; i < 20; i++) await both(['KEYS', 'lat:*']);
    const [, ourCommands] = await lines('commandstats');
    const keys = ourCommands.find((l) => l.startsWith('cmdstat_keys:'))!;
    const [, calls, usec, perCall] = /calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/.exec(keys)!;
    expect(Number(calls)).toBe(20);
    expect(Number(usec)).toBeGreaterThanOrEqual(20);
    expect(perCall).toBe((Number(usec) / Number(calls)).toFixed(2));
  });
});

/** Whether this machine has an IPv6 loopback to test addresses over. */
async function hasIpv6Loopback(): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

describe.skipIf(!hasRedisServer)('client addresses over IPv6, compared with redis-server', () => {
  it('CLIENT INFO writes an IPv6 peer as [addr]:port, as Redis does', async (ctx) => {
    if (!(await hasIpv6Loopback())) ctx.skip();
    const redis = await startRedisServer(['--bind', '127.0.0.1 ::1']);
    const redix = await startRedix({ bind: '127.0.0.1 ::1' });
    try {
      const addrs: string[] = [];
      for (const port of [redis.port, redix.port]) {
        const conn = await RawConnection.connect(port, '::1');
        const info = (await conn.command(['CLIENT', 'INFO'])).toString('latin1');
        conn.close();
        // addr= and laddr= with the port numbers taken out: the shape must be the same.
        addrs.push(info.split(' ').filter((f) => f.startsWith('addr=') || f.startsWith('laddr=')).map((f) => f.replace(/:\d+$/, ':P')).join(' '));
      }
      expect(addrs[1]).toBe(addrs[0]);
      expect(addrs[0]).toBe('addr=[::1]:P laddr=[::1]:P');
    } finally {
      await redix.shutdown();
      await redis.stop();
    }
  });
});
