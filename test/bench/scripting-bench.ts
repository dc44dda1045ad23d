import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import type { FamilyBench, FamilyRow } from './families';
import type { BenchServer } from './servers';
import { redisBenchmarkCommand, type ThroughputResult } from './throughput';

/** Scripts the rows run: one redis.call, and ten. */
const ONE_CALL = "return redis.call('INCR', KEYS[1])";
const TEN_CALLS = "for i = 1, 9 do redis.call('INCR', KEYS[1]) end return redis.call('INCR', KEYS[1])";

export interface ScriptingRow {
  test: string;
  pipeline: number;
  redixRps: number;
  redisRps: number;
  ratio: number;
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * EVALSHA of a one-call and a ten-call script on both servers (redis-benchmark -c 50, keys
 * spread over 100000), alternating who goes first, medians of the rounds; then the cost of one
 * redis.call on Redix, from the difference between the two scripts at pipeline 16.
 */
export async function scriptingBenchmarks(redix: BenchServer, redis: BenchServer, quick: boolean): Promise<{ rows: ScriptingRow[]; usPerCall: number }> {
  for (const server of [redix, redis]) {
    const client = new Redis(server.port, '127.0.0.1');
    await client.script('LOAD', ONE_CALL);
    await client.script('LOAD', TEN_CALLS);
    client.disconnect();
  }
  const tests: [string, string][] = [['EVALSHA 1 call', sha1(ONE_CALL)], ['EVALSHA 10 calls', sha1(TEN_CALLS)]];
  const rounds = quick ? 1 : 3;
  const samples = new Map<string, { redix: ThroughputResult[]; redis: ThroughputResult[] }>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [redix, redis] : [redis, redix];
    for (const pipeline of [1, 16]) {
      for (const [name, sha] of tests) {
        const requests = (quick ? 20_000 : 100_000) * (pipeline === 1 ? 1 : 2);
        for (const server of order) {
          const r = await redisBenchmarkCommand(server.port, name, ['EVALSHA', sha, '1', 'script:__rand_int__'], { requests, pipeline, clients: 50 });
          const key = `${name}|${pipeline}`;
          const entry = samples.get(key) ?? { redix: [], redis: [] };
          (server === redix ? entry.redix : entry.redis).push(r);
          samples.set(key, entry);
        }
      }
    }
  }
  const rows: ScriptingRow[] = [];
  for (const [key, s] of samples) {
    const [test, pipeline] = key.split('|');
    const redixRps = median(s.redix.map((r) => r.rps));
    const redisRps = median(s.redis.map((r) => r.rps));
    rows.push({ test, pipeline: Number(pipeline), redixRps, redisRps, ratio: redixRps / redisRps });
  }
  const one = rows.find((r) => r.test === 'EVALSHA 1 call' && r.pipeline === 16)!;
  const ten = rows.find((r) => r.test === 'EVALSHA 10 calls' && r.pipeline === 16)!;
  const usPerCall = ((1 / ten.redixRps - 1 / one.redixRps) / 9) * 1e6;
  return { rows, usPerCall };
}

/** The scripting family's rows for run.ts (targets: the issue's ≥ 0.5× at pipeline 1 for the one-call script). */
export const scriptingBench: FamilyBench = async ({ redix, redis }, quick) => {
  const { rows, usPerCall } = await scriptingBenchmarks(redix, redis, quick);
  const out: FamilyRow[] = rows.map((r) => ({
    family: 'scripting', test: r.test, pipeline: r.pipeline, redix: r.redixRps, redis: r.redisRps, unit: 'ops/s',
    target: r.test === 'EVALSHA 1 call' && r.pipeline === 1 ? 0.5 : null,
  }));
  out.push({ family: 'scripting', test: 'Redix µs per redis.call', pipeline: 16, redix: usPerCall, redis: NaN, unit: 'µs', target: null });
  return out;
};
