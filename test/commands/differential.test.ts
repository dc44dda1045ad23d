import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMismatches, readCases, runDifferential } from '../helpers/differential';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * Differential suite: every case file in ./cases is sent, line by line, to a real redis-server
 * and to Redix, under RESP2 and RESP3, and the raw replies are compared.
 */
const casesDir = join(__dirname, 'cases');
const files = readdirSync(casesDir).filter((f) => f.endsWith('.txt')).sort();

if (!hasRedisServer) console.warn(`differential tests skipped: ${REDIS_MISSING}`);

describe.skipIf(!hasRedisServer)('differential: Redix vs redis-server', () => {
  const servers = useRedisAndRedix();

  for (const file of files) {
    for (const protocol of [2, 3] as const) {
      it(`${file} (RESP${protocol})`, async () => {
        const cases = readCases(join(casesDir, file));
        const mismatches = await runDifferential(cases, servers.redis.port, servers.redix.port, protocol);
        expect(mismatches.length, `\n${formatMismatches(file, protocol, mismatches)}\n`).toBe(0);
      });
    }
  }
});
