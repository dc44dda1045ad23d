import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { formatMismatches, readCases, runDifferential } from '../helpers/differential';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

/**
 * Differential suite: every case file in ./cases is sent, line by line, to a real redis-server
 * and to Redix, under RESP2 and RESP3, and the raw replies are compared.
 */
const casesDir = join(__dirname, 'cases');
const files = readdirSync(casesDir).filter((f) => f.endsWith('.txt')).sort();

if (!hasRedisServer) console.warn(`differential tests skipped: ${REDIS_MISSING}`);

describe.skipIf(!hasRedisServer)('differential: Redix vs redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix();
  });

  afterAll(async () => {
    await redix?.shutdown();
    await redis?.stop();
  });

  for (const file of files) {
    for (const protocol of [2, 3] as const) {
      it(`${file} (RESP${protocol})`, async () => {
        const cases = readCases(join(casesDir, file));
        const mismatches = await runDifferential(cases, redis.port, redix.port, protocol);
        expect(mismatches.length, `\n${formatMismatches(file, protocol, mismatches)}\n`).toBe(0);
      });
    }
  }
});
