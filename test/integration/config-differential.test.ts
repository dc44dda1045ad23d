import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { CORE_OPTIONS } from '../../src/config/core-options';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

/** Set per server by the test helpers (ports, directories), or changed with care elsewhere. */
const NOT_COMPARED = new Set(['port', 'bind', 'dir', 'logfile', 'requirepass', 'masterauth', 'masteruser', 'replicaof', 'slaveof', 'dbfilename', 'appendonly', 'save']);

/** Values every option must refuse, or accept, exactly as Redis does. */
const PROBES = ['-1', '-2', '-99999999999', '99999999999999', '4294967296', 'abc', '0', '1', '1x', '10mb', '', 'yes', 'local'];

/**
 * Every redis.conf option Redix shares with Redis, through CONFIG GET and CONFIG SET, compared
 * byte for byte with redis-server 7.0: defaults, range and type errors, immutable and protected.
 */
describe.skipIf(!hasRedisServer)('CONFIG GET/SET for every option, compared with redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  let conns: [RawConnection, RawConnection];
  let names: string[];
  const both = async (args: string[]) => (await Promise.all(conns.map((c) => c.command(args)))).map((b) => b.toString('latin1'));

  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix({ loglevel: 'warning' });
    conns = [await RawConnection.connect(redis.port), await RawConnection.connect(redix.port)];
    const real = new Set(((await conns[0].command(['CONFIG', 'GET', '*'])).toString('latin1').split('\r\n')).filter((l, i) => i % 4 === 2));
    names = CORE_OPTIONS.flatMap((o) => [o.name, ...(o.aliases ?? [])]).filter((n) => real.has(n) && !NOT_COMPARED.has(n));
  });
  afterAll(async () => {
    for (const c of conns ?? []) c.close();
    await redix?.shutdown();
    await redis?.stop();
  });

  it('covers the options both servers have', () => {
    expect(names.length).toBeGreaterThan(60);
  });

  it('CONFIG GET gives Redis\'s defaults', async () => {
    for (const name of names) {
      const [real, ours] = await both(['CONFIG', 'GET', name]);
      expect(ours, name).toBe(real);
    }
  });

  it('CONFIG SET refuses and accepts the same values with the same errors', async () => {
    const mismatches: string[] = [];
    for (const name of names) {
      const [before] = await both(['CONFIG', 'GET', name]);
      const original = before.split('\r\n')[4];
      for (const value of PROBES) {
        const [real, ours] = await both(['CONFIG', 'SET', name, value]);
        if (ours !== real) mismatches.push(`CONFIG SET ${name} "${value}"\n  redis: ${JSON.stringify(real)}\n  redix: ${JSON.stringify(ours)}`);
        const [realNow, ourNow] = await both(['CONFIG', 'GET', name]);
        if (ourNow !== realNow) mismatches.push(`CONFIG GET ${name} after SET "${value}"\n  redis: ${JSON.stringify(realNow)}\n  redix: ${JSON.stringify(ourNow)}`);
        await both(['CONFIG', 'SET', name, original]);
      }
    }
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  });

  it('CONFIG SET of several options is all or nothing', async () => {
    const cases = [
      ['CONFIG', 'SET', 'timeout', '10', 'maxclients', 'abc'],
      ['CONFIG', 'SET', 'maxclients', '50', 'databases', '4'],
      ['CONFIG', 'SET', 'timeout', '10', 'nosuch', '1'],
      ['CONFIG', 'SET', 'timeout', '10', 'dir', '/tmp'],
      ['CONFIG', 'SET', 'TIMEOUT', '10', 'timeout', '20'],
      ['CONFIG', 'SET', 'hz', '0', 'loglevel', 'loud'],
    ];
    for (const args of cases) {
      const [real, ours] = await both(args);
      expect(ours, args.join(' ')).toBe(real);
      for (const name of ['timeout', 'maxclients', 'hz', 'loglevel']) {
        const [real, ours] = await both(['CONFIG', 'GET', name]);
        expect(ours, `${name} after ${args.join(' ')}`).toBe(real);
      }
    }
    const [real, ours] = await both(['CONFIG', 'SET', 'timeout', '7', 'hz', '1000', 'maxclients', '77']);
    expect(ours).toBe(real);
    expect(await both(['CONFIG', 'GET', 'hz'])).toEqual(['*2\r\n$2\r\nhz\r\n$3\r\n500\r\n', '*2\r\n$2\r\nhz\r\n$3\r\n500\r\n']);
    await both(['CONFIG', 'SET', 'timeout', '0', 'hz', '10', 'maxclients', '10000']);
  });

  it('latency-tracking-info-percentiles: Redis\'s grammar (strtod words, one space apart, 0 to 100) and written back as %f trimmed', async () => {
    const values = ['50.0 99 99.90 0 100', '101', 'abc', '0x10', 'inf', 'nan', '-1', '1e2', '50  99', ' 50', '50,99', '0.0000001 99.999 100.0', '50 abc', '101 abc', ''];
    for (const value of values) {
      const [realSet, ourSet] = await both(['CONFIG', 'SET', 'latency-tracking-info-percentiles', value]);
      expect(ourSet, `SET "${value}"`).toBe(realSet);
      const [realGet, ourGet] = await both(['CONFIG', 'GET', 'latency-tracking-info-percentiles']);
      expect(ourGet, `GET after "${value}"`).toBe(realGet);
    }
    await both(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9']);
  });

  it('CONFIG GET answers a plain name as typed, and globs over names and aliases', async () => {
    for (const args of [['PORT'], ['Timeout', 'timeout'], ['hash-max-ziplist-entries'], ['maxmemory', 'MAXMEMORY', 'nosuch']]) {
      const [real, ours] = await both(['CONFIG', 'GET', ...args]);
      // Port differs by server; the names and the count must not.
      expect(ours.replace(/\$\d+\r\n\d+\r\n$/, ''), args.join(' ')).toBe(real.replace(/\$\d+\r\n\d+\r\n$/, ''));
    }
    for (const pattern of ['*max-*-entries*', 'repl-*', '*slave*', 'hash-max-*', 'enable-*']) {
      const [real, ours] = await both(['CONFIG', 'GET', pattern]);
      // Redis answers from a hash table: compare as sets of pairs.
      const pairs = (reply: string) => {
        const lines = reply.split('\r\n').slice(1).filter((_, i) => i % 2 === 1);
        const out: string[] = [];
        for (let i = 0; i < lines.length; i += 2) out.push(`${lines[i]}=${lines[i + 1]}`);
        return out.sort();
      };
      // Redis has options Redix does not define (cluster, TLS...): compare over the shared ones.
      const shared = new Set(CORE_OPTIONS.flatMap((o) => [o.name, ...(o.aliases ?? [])]));
      expect(pairs(ours), pattern).toEqual(pairs(real).filter((p) => shared.has(p.slice(0, p.indexOf('=')))));
    }
  });
});
