import { alternate, type FamilyBench, type FamilyRow } from './families';
import type { BenchServer } from './servers';
import { redisBenchmark } from './throughput';

/** redis-benchmark's list tests, as the issue names its rows (#16). */
const TESTS = ['LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'LRANGE_100', 'LRANGE_300', 'LRANGE_600'];

/**
 * Requests per second of one of redis-benchmark's list tests. `-t lrange_N` first fills the list
 * with its own LPUSH run (reported as "LPUSH (needed to benchmark LRANGE)"): the first LPUSH row
 * is the LPUSH test itself.
 */
async function listTest(server: BenchServer, test: string, requests: number, pipeline: number): Promise<number> {
  const results = await redisBenchmark(server.port, [test.toLowerCase()], { requests, pipeline, clients: 50 });
  const row = results.find((r) => r.test === test) ?? results[results.length - 1];
  return row.rps;
}

/** The rows of the lists family: push, pop and range reads at pipeline 1 and 16. */
export const listsBench: FamilyBench = async (servers, quick) => {
  const rounds = quick ? 1 : 3;
  const rows: FamilyRow[] = [];
  for (const pipeline of [1, 16]) {
    for (const test of TESTS) {
      const ranged = test.startsWith('LRANGE');
      const requests = (quick ? 10_000 : 100_000) * (pipeline === 1 ? 1 : 4) / (ranged ? 4 : 1);
      const result = await alternate(servers, rounds, (s) => listTest(s, test, requests, pipeline));
      rows.push({ family: 'lists', test, pipeline, ...result, unit: 'ops/s', target: pipeline === 1 ? 0.9 : 0.5 });
    }
  }
  return rows;
};
