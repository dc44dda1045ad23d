import { RawConnection } from '../helpers/raw-connection';
import { alternate, type FamilyBench, type FamilyRow } from './families';
import type { BenchServer } from './servers';
import { redisBenchmarkCommand } from './throughput';

/** Two sets of 100 string members, 50 in common, for SMEMBERS and SINTER. */
async function seedSets(server: BenchServer): Promise<void> {
  const conn = await RawConnection.connect(server.port);
  try {
    await conn.command(['DEL', 'bench:s100a', 'bench:s100b']);
    const a = Array.from({ length: 100 }, (_, i) => `member:${i}`);
    const b = Array.from({ length: 100 }, (_, i) => `member:${i + 50}`);
    await conn.command(['SADD', 'bench:s100a', ...a]);
    await conn.command(['SADD', 'bench:s100b', ...b]);
  } finally {
    conn.close();
  }
}

/** The rows of the sets family (#17): redis-benchmark's SADD and SPOP, SMEMBERS/SINTER of 100-member sets. */
export const setsBench: FamilyBench = async (servers, quick) => {
  const rounds = quick ? 1 : 3;
  const rows: FamilyRow[] = [];
  for (const server of [servers.redix, servers.redis]) await seedSets(server);
  const tests: [string, string[]][] = [
    ['SADD', ['SADD', 'bench:set', 'element:__rand_int__']],
    ['SPOP', ['SPOP', 'bench:set']],
    ['SMEMBERS (100 members)', ['SMEMBERS', 'bench:s100a']],
    ['SINTER (100 members)', ['SINTER', 'bench:s100a', 'bench:s100b']],
  ];
  for (const pipeline of [1, 16]) {
    for (const [test, argv] of tests) {
      const heavy = test.includes('100');
      const requests = (quick ? 10_000 : 100_000) * (pipeline === 1 ? 1 : 4) / (heavy ? 4 : 1);
      const result = await alternate(servers, rounds, async (s) => (await redisBenchmarkCommand(s.port, test, argv, { requests, pipeline, clients: 50 })).rps);
      rows.push({ family: 'sets', test, pipeline, ...result, unit: 'ops/s', target: pipeline === 1 ? 0.9 : null });
    }
  }
  return rows;
};
