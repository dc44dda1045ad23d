import { readFileSync } from 'node:fs';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { median } from './families';

export interface MemoryResult {
  dataset: string;
  items: number;
  /** Growth across the second load (the per-item cost once the server is at working size). */
  usedMemoryPerItem: number;
  rssPerItem: number;
  /** RSS growth across the first load into the empty server (fixed costs included). */
  firstLoadRssPerItem: number;
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
 * Bytes per item of a dataset on a fresh server: `keys` string keys with 16-byte values, or
 * `hashes` hashes of `fields` fields (16-byte values; 1,000 fields make hashtables, 10 fields
 * listpacks, in both servers). The dataset is loaded twice under different key names and the
 * growth of INFO used_memory and of process RSS across the second load is divided by its items:
 * the first load brings each server to its working size (V8's young generation grows to 16–32 MB
 * during a burst of writes, jemalloc its arenas), a fixed cost that read as up to 300 B per item
 * of a 100,000-item dataset. A fresh process because after a FLUSHALL freed pages are reused.
 */
export async function measureDataset(port: number, pid: number, dataset: { keys: number } | HashDataset): Promise<MemoryResult> {
  const conn = await RawConnection.connect(port);
  try {
    const load = (prefix: string): Promise<void> => ('keys' in dataset ? loadStrings(conn, prefix, dataset.keys) : loadHashes(conn, prefix, dataset.hashes, dataset.fields));
    await settle(conn);
    const empty = await memory(conn, pid);
    const items = 'keys' in dataset ? dataset.keys : dataset.hashes * dataset.fields;
    await load('warm');
    await settle(conn);
    const firstLoadRss = ((await memory(conn, pid)).rss - empty.rss) / items;
    // Small datasets: the median of three further loads (one can still catch a heap step).
    const copies = items < 500_000 ? 3 : 1;
    const used: number[] = [];
    const rss: number[] = [];
    let before = await memory(conn, pid);
    for (let copy = 0; copy < copies; copy++) {
      await load(`item${copy}`);
      await settle(conn);
      const after = await memory(conn, pid);
      used.push((after.used - before.used) / items);
      rss.push((after.rss - before.rss) / items);
      before = after;
    }
    const name = 'keys' in dataset ? `${dataset.keys} string keys, 16-byte values` : `${dataset.hashes} hashes x ${dataset.fields} fields`;
    return { dataset: name, items, usedMemoryPerItem: median(used), rssPerItem: median(rss), firstLoadRssPerItem: firstLoadRss };
  } finally {
    conn.close();
  }
}

async function loadStrings(conn: RawConnection, prefix: string, keys: number): Promise<void> {
  await pipelined(conn, keys, (i) => ['SET', `${prefix}:${String(i).padStart(10, '0')}`, 'v'.repeat(16)]);
}

async function loadHashes(conn: RawConnection, prefix: string, hashes: number, fields: number): Promise<void> {
  const perCommand = Math.min(100, fields);
  const commandsPerHash = fields / perCommand;
  await pipelined(conn, hashes * commandsPerHash, (i) => {
    const h = Math.floor(i / commandsPerHash);
    const base = (i % commandsPerHash) * perCommand;
    const args = ['HSET', `${prefix}:hash:${h}`];
    for (let f = 0; f < perCommand; f++) args.push(`field:${base + f}`, 'v'.repeat(16));
    return args;
  });
}
