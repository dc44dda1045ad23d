import { readFileSync } from 'node:fs';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';

export interface MemoryResult {
  dataset: string;
  items: number;
  usedMemoryPerItem: number;
  rssPerItem: number;
}

function infoField(info: string, field: string): number {
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return m === null ? NaN : Number(m[1]);
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return m === null ? NaN : Number(m[1]) * 1024;
}

export async function memory(conn: RawConnection, pid: number): Promise<{ used: number; rss: number }> {
  const reply = (await conn.command(['INFO', 'memory'])).toString();
  return { used: infoField(reply, 'used_memory'), rss: rssOf(pid) };
}

/** Sends commands in pipelined batches, reading every reply. */
export async function pipelined(conn: RawConnection, count: number, make: (i: number) => string[]): Promise<void> {
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) parts.push(encodeCommand(make(start + i)));
    conn.write(Buffer.concat(parts));
    await conn.readReplies(n, 60_000);
  }
}

/**
 * Lets memory settle before it is read: MEMORY PURGE (jemalloc purge on Redis, a full garbage
 * collection on Redix started with --expose-gc), then a pause.
 */
export async function settle(conn: RawConnection): Promise<void> {
  await conn.command(['MEMORY', 'PURGE']);
  await new Promise((r) => setTimeout(r, 500));
  await conn.command(['MEMORY', 'PURGE']);
}

/** A hash dataset to measure: `hashes` hashes of `fields` fields each. */
export interface HashDataset {
  hashes: number;
  fields: number;
}

/**
 * Bytes per item for `keys` string keys with 16-byte values, and per field for each hash dataset
 * (16-byte values; 1,000 fields make hashtables, 10 fields listpacks, in both servers): the growth
 * of INFO used_memory and of the process RSS, divided by the item count.
 */
export async function measureMemory(port: number, pid: number, keys: number, hashSets: HashDataset[]): Promise<MemoryResult[]> {
  const conn = await RawConnection.connect(port);
  try {
    await conn.command(['FLUSHALL']);
    await settle(conn);
    const before = await memory(conn, pid);
    await pipelined(conn, keys, (i) => ['SET', `key:${String(i).padStart(10, '0')}`, 'v'.repeat(16)]);
    await settle(conn);
    const afterKeys = await memory(conn, pid);
    await conn.command(['FLUSHALL']);
    const results: MemoryResult[] = [
      { dataset: `${keys} string keys, 16-byte values`, items: keys, usedMemoryPerItem: (afterKeys.used - before.used) / keys, rssPerItem: (afterKeys.rss - before.rss) / keys },
    ];
    for (const { hashes, fields } of hashSets) results.push(await measureHashes(conn, pid, hashes, fields));
    return results;
  } finally {
    conn.close();
  }
}

/** One hash dataset alone (run it on a fresh server: memory freed by an earlier dataset is reused). */
export async function measureHashMemory(port: number, pid: number, { hashes, fields }: HashDataset): Promise<MemoryResult> {
  const conn = await RawConnection.connect(port);
  try {
    await conn.command(['FLUSHALL']);
    return await measureHashes(conn, pid, hashes, fields);
  } finally {
    conn.close();
  }
}

/**
 * One hash dataset, added to a running server: after a warm-up of the same shape (100,000 fields,
 * kept), `rounds` copies of the dataset are added one on top of the other and the median growth
 * counts. A fresh Node process grows its young generation and code by ~30 MB on its first load,
 * which would swamp a 100,000-field dataset; and a refill after FLUSHALL would count nothing on
 * Redix, whose freed memory stays in the process for reuse. Both servers are measured alike.
 */
async function measureHashes(conn: RawConnection, pid: number, hashes: number, fields: number): Promise<MemoryResult> {
  const totalFields = hashes * fields;
  await fillHashes(conn, 'warmup', Math.max(1, Math.floor(WARMUP_FIELDS / fields)), fields);
  const rounds = totalFields <= WARMUP_FIELDS * 2 ? 3 : 1;
  const used: number[] = [];
  const rss: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await settle(conn);
    const before = await memory(conn, pid);
    await fillHashes(conn, `hash${round}`, hashes, fields);
    await settle(conn);
    const after = await memory(conn, pid);
    used.push(after.used - before.used);
    rss.push(after.rss - before.rss);
  }
  await conn.command(['FLUSHALL']);
  return { dataset: `${hashes} hashes x ${fields} fields`, items: totalFields, usedMemoryPerItem: median(used) / totalFields, rssPerItem: median(rss) / totalFields };
}

const WARMUP_FIELDS = 100_000;

function median(xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[sorted.length >> 1];
}

/** HSET of `fields` 16-byte values into each of `hashes` hashes named `prefix:N`, 100 pairs per command. */
async function fillHashes(conn: RawConnection, prefix: string, hashes: number, fields: number): Promise<void> {
  const perCommand = Math.min(100, fields);
  const commandsPerHash = fields / perCommand;
  await pipelined(conn, hashes * commandsPerHash, (i) => {
    const h = Math.floor(i / commandsPerHash);
    const base = (i % commandsPerHash) * perCommand;
    const args = ['HSET', `${prefix}:${h}`];
    for (let f = 0; f < perCommand; f++) args.push(`field:${base + f}`, 'v'.repeat(16));
    return args;
  });
}
