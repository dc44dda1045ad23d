import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchServer, type BenchServer } from '../bench/servers';
import { redisBenchmark } from '../bench/throughput';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';

/**
 * The bench's ceiling is only a ceiling if the minimal server really does the work: its replies to
 * what redis-benchmark sends must be redis-server's, whole or split across reads.
 */
describe.skipIf(!hasRedisServer)('the bench\'s minimal Node server', () => {
  let minimal: BenchServer;
  let real: RealRedis;

  beforeAll(async () => {
    minimal = await startBenchServer('minimal');
    real = await startRedisServer();
  });

  afterAll(async () => {
    await minimal.stop();
    await real.stop();
  });

  const commands = [
    ['GET', 'bench:k'],
    ['SET', 'bench:k', 'v'.repeat(64)],
    ['GET', 'bench:k'],
    ['INCR', 'bench:n'],
    ['INCR', 'bench:n'],
    ['HSET', 'bench:h', 'f', 'x'],
    ['HSET', 'bench:h', 'f', 'y'],
    ['HSET', 'bench:h', 'g', 'z'],
  ];

  it('answers SET, GET, INCR and HSET as redis-server does, with each command split across two reads', async () => {
    const replies: string[][] = [];
    for (const port of [minimal.port, real.port]) {
      const conn = await RawConnection.connect(port);
      const out: string[] = [];
      for (const command of commands) {
        const bytes = encodeCommand(command);
        conn.write(bytes.subarray(0, 7));
        await new Promise((r) => setTimeout(r, 5));
        conn.write(bytes.subarray(7));
        out.push(String((await conn.readReplies(1))[0]));
      }
      conn.close();
      replies.push(out);
    }
    expect(replies[0]).toEqual(replies[1]);
  });

  it('serves a redis-benchmark run whose CSV the bench parses', async () => {
    const results = await redisBenchmark(minimal.port, ['set', 'get', 'incr', 'hset'], { requests: 2000, pipeline: 16, clients: 5 });
    expect(results.map((r) => r.test)).toEqual(['SET', 'GET', 'INCR', 'HSET']);
    for (const r of results) expect(r.rps).toBeGreaterThan(0);
  });
});

if (!hasRedisServer) console.warn(REDIS_MISSING);
