/**
 * Just the maxmemory rows (npm run build, then node dist/test/bench/maxmemory-bench-only.js [--quick]):
 * for working on eviction without the whole bench.
 */
import { maxmemoryBench } from './maxmemory-bench';
import { startBenchServer } from './servers';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const redix = await startBenchServer('redix');
  const redis = await startBenchServer('redis');
  try {
    for (const row of await maxmemoryBench({ redix, redis }, quick)) {
      console.log(`${row.test} (P${row.pipeline}): Redix ${row.redix.toFixed(2)} ${row.unit}, Redis ${row.redis.toFixed(2)} ${row.unit}, ratio ${(row.redix / row.redis).toFixed(2)}`);
    }
  } finally {
    await redix.stop();
    await redis.stop();
  }
}

void main();
