import { afterAll, beforeAll } from 'vitest';
import type { RedixConfig, RedixServer } from '../../src/index';
import { startRedisServer, type RealRedis } from './redis-server';
import { startRedix } from './redix';

/**
 * A real redis-server and an in-process Redix for the enclosing describe block: started before
 * its tests, stopped after them. Read `.redis` and `.redix` inside tests (they exist from then on).
 */
export function useRedisAndRedix(settings: RedixConfig = {}, redisArgs: string[] = []): { readonly redis: RealRedis; readonly redix: RedixServer } {
  const pair = {} as { redis: RealRedis; redix: RedixServer };
  beforeAll(async () => {
    pair.redis = await startRedisServer(redisArgs);
    pair.redix = await startRedix(settings);
  });
  afterAll(async () => {
    await pair.redix?.shutdown();
    await pair.redis?.stop();
  });
  return pair;
}
