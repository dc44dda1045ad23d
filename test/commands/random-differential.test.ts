import { describe, expect, it } from 'vitest';
import { formatCommand, showReply } from '../helpers/fuzz/format';
import { FuzzRunner, type FuzzMismatch } from '../helpers/fuzz/runner';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * Random differential test of the strings, hashes and keyspace-ttl commands: seeded sequences of
 * commands over a few keys, fields and edge-case values, sent to a real redis-server and to Redix,
 * every reply compared (bytes, or shape/multiset/tolerance where Redis itself is random, unordered
 * or time-dependent), and the whole data set compared every few dozen commands.
 *
 *   REDIX_FUZZ_SEED=42 | 1-200 | 3,9,27   other seeds instead of the fixed ones
 *   REDIX_FUZZ_STEPS=5000                 commands per seed and protocol
 *   REDIX_FUZZ_ALL=1                      keep going after a mismatch (new episode), list them all
 *   REDIX_FUZZ_STATS=1                    print replies and error rates per command
 */
const FIXED_SEEDS = [1, 2, 3, 4, 5, 20261202];

function seedsFromEnv(spec: string | undefined): number[] {
  if (!spec) return FIXED_SEEDS;
  return spec.split(',').flatMap((part) => {
    const m = /^(\d+)-(\d+)$/.exec(part.trim());
    if (!m) return [Number(part)];
    const out: number[] = [];
    for (let s = Number(m[1]); s <= Number(m[2]); s++) out.push(s);
    return out;
  });
}

const seeds = seedsFromEnv(process.env.REDIX_FUZZ_SEED);
const steps = Number(process.env.REDIX_FUZZ_STEPS ?? 3000);
const keepGoing = process.env.REDIX_FUZZ_ALL === '1';

function describeMismatch(m: FuzzMismatch): string {
  return [
    `seed ${m.seed}, RESP${m.protocol}, step ${m.step} (rerun: REDIX_FUZZ_SEED=${m.seed} npx vitest run test/commands/random-differential.test.ts)`,
    `  command: ${formatCommand(m.command.argv, 200)}   [compared: ${m.command.mode.kind}]`,
    `  redis:   ${showReply(m.redis)}`,
    `  redix:   ${showReply(m.redix)}`,
    `  minimal repro from an empty data set (${m.minimal.length} commands):`,
    ...m.minimal.map((c) => `    ${formatCommand(c.argv)}`),
    `  commands since the last reset (${m.history.length}):`,
    ...m.history.map((c) => `    ${formatCommand(c.argv, 60)}`),
  ].join('\n');
}

if (!hasRedisServer) console.warn(`random differential tests skipped: ${REDIS_MISSING}`);

describe.skipIf(!hasRedisServer)('random differential: Redix vs redis-server', () => {
  const servers = useRedisAndRedix();

  for (const protocol of [2, 3] as const) {
    it(`seeds ${seeds.length > 8 ? `${seeds[0]}…${seeds[seeds.length - 1]}` : seeds.join(', ')} (RESP${protocol})`, async () => {
      const runner = await FuzzRunner.open(servers.redis.port, servers.redix.port, protocol);
      const found: FuzzMismatch[] = [];
      try {
        for (const seed of seeds) {
          const { mismatches } = await runner.run({ seed, steps, protocol, maxMismatches: keepGoing ? 50 : 1 });
          found.push(...mismatches);
          if (found.length > 0 && !keepGoing) break;
        }
      } finally {
        runner.close();
      }
      console.log(`RESP${protocol}: ${runner.compared} replies compared over ${seeds.length} seed(s), ${found.length} mismatch(es)`);
      if (process.env.REDIX_FUZZ_STATS === '1') {
        const rows = [...runner.stats].sort((x, y) => y[1][0] - x[1][0]);
        console.log(rows.map(([name, [n, errs]]) => `${name.padEnd(14)} ${String(n).padStart(7)} replies, ${Math.round((100 * errs) / n)}% errors`).join('\n'));
      }
      expect(found.length, `\n${found.map(describeMismatch).join('\n\n')}\n`).toBe(0);
    }, 600_000);
  }
});
