import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import type { BenchServer } from './servers';

/**
 * The "keys of mixed types" dataset of issue #22's load and full-sync rows, per 1,000,000 keys:
 * 400k strings of 16 bytes, 200k integers, 20k compressible 160-byte strings (LZF in the dump),
 * 10k strings with a TTL, 150k hashes of 10 fields (listpack), 100 of 1,000 (hashtable), 100k
 * lists of 8 and 100 of 1,000, 50k integer sets (intset), 20k sets of 8 strings, 100 sets of 1,000,
 * 50k sorted sets of 8 (listpack), 100 of 1,000 (skiplist), and 10 streams of 1,000 entries.
 */
function* mixedCommands(keys: number): Generator<(string | number)[]> {
  const n = (perMillion: number) => Math.max(1, Math.round((perMillion * keys) / 1_000_000));
  for (let i = 0; i < n(400_000); i++) yield ['SET', `str:${i}`, `value-${i}-`.padEnd(16, 'x')];
  for (let i = 0; i < n(200_000); i++) yield ['SET', `int:${i}`, i * 7];
  for (let i = 0; i < n(20_000); i++) yield ['SET', `long:${i}`, 'abcdefgh'.repeat(20) + i];
  for (let i = 0; i < n(10_000); i++) yield ['SET', `ttl:${i}`, `v${i}`, 'EX', 100_000];
  for (let i = 0; i < n(150_000); i++) yield ['HSET', `hash:${i}`, ...range(10).flatMap((j) => [`field${j}`, `val${i}-${j}`])];
  for (let i = 0; i < n(100); i++) for (let b = 0; b < 10; b++) yield ['HSET', `bighash:${i}`, ...range(100).flatMap((j) => [`field${b * 100 + j}`, `value-${i}-${j}`])];
  for (let i = 0; i < n(100_000); i++) yield ['RPUSH', `list:${i}`, ...range(8).map((j) => `item${j}-${i}`)];
  for (let i = 0; i < n(100); i++) for (let b = 0; b < 10; b++) yield ['RPUSH', `biglist:${i}`, ...range(100).map((j) => `element-${b}-${j}`)];
  for (let i = 0; i < n(50_000); i++) yield ['SADD', `iset:${i}`, ...range(8).map((j) => i + j * 1000)];
  for (let i = 0; i < n(20_000); i++) yield ['SADD', `sset:${i}`, ...range(8).map((j) => `m${j}-${i}`)];
  for (let i = 0; i < n(100); i++) for (let b = 0; b < 10; b++) yield ['SADD', `bigset:${i}`, ...range(100).map((j) => `member-${b}-${j}`)];
  for (let i = 0; i < n(50_000); i++) yield ['ZADD', `zset:${i}`, ...range(8).flatMap((j) => [j * 1.5, `m${j}`])];
  for (let i = 0; i < n(100); i++) for (let b = 0; b < 10; b++) yield ['ZADD', `bigzset:${i}`, ...range(100).flatMap((j) => [b * 100 + j + 0.25, `member-${b}-${j}`])];
  for (let i = 0; i < n(10); i++) for (let j = 0; j < 1000; j++) yield ['XADD', `stream:${i}`, '*', 'a', j, 'b', `x${j}`];
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** Writes the mixed dataset for about `keys` keys into a server; returns the number of keys it made. */
export async function loadMixedDataset(server: BenchServer, keys: number): Promise<number> {
  const conn = await RawConnection.connect(server.port);
  try {
    let parts: Buffer[] = [];
    const flush = async () => {
      conn.write(Buffer.concat(parts));
      await conn.readReplies(parts.length, 120_000);
      parts = [];
    };
    for (const command of mixedCommands(keys)) {
      parts.push(encodeCommand(command.map(String)));
      if (parts.length === 1000) await flush();
    }
    if (parts.length > 0) await flush();
    const size = (await conn.command(['DBSIZE'])).toString();
    return Number(size.slice(1, -2));
  } finally {
    conn.close();
  }
}
