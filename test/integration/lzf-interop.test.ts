import { describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { REDIS_MISSING, hasRedisServer } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';
import { lzfInputs } from './lzf-inputs';
import { bulk, call, pipeline } from './rdb-dataset';

type Arg = string | Buffer;

/** Runs the commands on a server and returns DUMP of each key, in order. */
async function dumps(port: number, commands: Arg[][], keys: string[]): Promise<(Buffer | null)[]> {
  const conn = await RawConnection.connect(port);
  try {
    await pipeline(conn, commands);
    const out: (Buffer | null)[] = [];
    for (const k of keys) out.push(bulk(await call(conn, ['DUMP', k])));
    return out;
  } finally {
    conn.close();
  }
}

describe.skipIf(!hasRedisServer)('LZF: DUMP payloads equal redis-server 7.0\'s byte for byte', () => {
  if (!hasRedisServer) console.warn(REDIS_MISSING);
  const servers = useRedisAndRedix();

  /** Sends the same commands to both servers and expects identical DUMPs of `keys`. */
  async function expectSameDumps(commands: Arg[][], keys: string[], names: string[] = keys): Promise<void> {
    const [theirs, ours] = await Promise.all([dumps(servers.redis.port, commands, keys), dumps(servers.redix.port, commands, keys)]);
    const differing = names.filter((_, i) => !theirs[i]!.equals(ours[i]!));
    expect(differing).toEqual([]);
  }

  it('strings: every size, limit and pattern, compressed or stored raw as Redis chooses', async () => {
    const inputs = lzfInputs(true);
    const keys = inputs.map((_, i) => `lzf:s:${i}`);
    const commands: Arg[][] = inputs.map(([, v], i) => ['SET', keys[i], v]);
    await expectSameDumps(commands, keys, inputs.map(([name]) => name));
  });
});
