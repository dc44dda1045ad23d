import net from 'node:net';
import { readFileSync } from 'node:fs';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { replyEnd } from '../helpers/resp-reader';
import { alternate, type FamilyBench, type FamilyRow } from './families';
import type { BenchServer } from './servers';
import { redisBenchmarkCommand } from './throughput';

/** Bytes of dataset each server may hold beyond what it uses empty (its own baseline differs). */
const HEADROOM = 20 * 1024 * 1024;
const VALUE = 'v'.repeat(100);

/** used_memory now, from INFO memory. */
async function usedMemory(conn: RawConnection): Promise<number> {
  const text = (await conn.command(['INFO', 'memory'])).toString('latin1');
  return Number(/used_memory:(\d+)/.exec(text)?.[1] ?? 0);
}

/** Empties the server and sets maxmemory to its empty size + HEADROOM with `policy`; returns the limit. */
async function configure(server: BenchServer, policy: string): Promise<number> {
  const conn = await RawConnection.connect(server.port);
  try {
    await conn.command(['CONFIG', 'SET', 'maxmemory', '0']);
    await conn.command(['FLUSHALL']);
    const limit = (await usedMemory(conn)) + HEADROOM;
    await conn.command(['CONFIG', 'SET', 'maxmemory-policy', policy]);
    await conn.command(['CONFIG', 'SET', 'maxmemory', String(limit)]);
    return limit;
  } finally {
    conn.close();
  }
}

async function reset(server: BenchServer): Promise<void> {
  const conn = await RawConnection.connect(server.port);
  try {
    await conn.command(['CONFIG', 'SET', 'maxmemory', '0']);
    await conn.command(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await conn.command(['FLUSHALL']);
  } finally {
    conn.close();
  }
}

/** Resident set size of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]);
    return pages * 4096;
  } catch {
    return 0;
  }
}

/** A connection sending one command at a time and handing back each reply. */
function requester(port: number): Promise<{ socket: net.Socket; send: (argv: string[]) => Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer: Buffer = Buffer.alloc(0);
    let pending: ((reply: Buffer) => void) | null = null;
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const end = replyEnd(buffer, 0);
      if (end < 0 || pending === null) return;
      const reply = buffer.subarray(0, end);
      buffer = buffer.subarray(end);
      const p = pending;
      pending = null;
      p(reply);
    });
    socket.once('error', reject);
    socket.once('connect', () => resolve({
      socket,
      send: (argv) => new Promise((done) => {
        pending = done;
        socket.write(encodeCommand(argv));
      }),
    }));
  });
}

/**
 * The cache workload of #25: GET a key, SET it on a miss, 80 % of the reads on 20 % of the keys,
 * over `keys` keys (about 10 x what fits under the limit). Hit rate is counted over the second
 * half (a warm cache); RSS sampled throughout: its growth as a multiple of the dataset's allowance.
 */
async function cacheWorkload(server: BenchServer, keys: number, operations: number): Promise<{ opsPerSec: number; hitRate: number; rssRatio: number }> {
  await configure(server, 'allkeys-lru');
  const rssBefore = rssOf(server.pid);
  const clients = await Promise.all(Array.from({ length: 50 }, () => requester(server.port)));
  const hot = Math.floor(keys / 5);
  let done = 0;
  let hits = 0;
  let reads = 0;
  let maxRss = 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssOf(server.pid))), 100);
  const perClient = Math.ceil(operations / clients.length);
  const started = performance.now();
  await Promise.all(clients.map(async (c) => {
    for (let i = 0; i < perClient; i++) {
      const n = Math.random() < 0.8 ? Math.floor(Math.random() * hot) : hot + Math.floor(Math.random() * (keys - hot));
      const key = `cache:${n}`;
      const reply = await c.send(['GET', key]);
      const miss = reply[0] === 0x24 && reply[1] === 0x2d; // $-1
      if (done++ * 2 >= operations) {
        reads++;
        if (!miss) hits++;
      }
      if (miss) await c.send(['SET', key, VALUE]);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  maxRss = Math.max(maxRss, rssOf(server.pid));
  for (const c of clients) c.socket.destroy();
  await reset(server);
  // The growth of RSS over the empty server's, against the 20 MB the limit allows the dataset.
  return { opsPerSec: (perClient * clients.length) / seconds, hitRate: reads === 0 ? 0 : (hits * 100) / reads, rssRatio: (maxRss - rssBefore) / HEADROOM };
}

/** SET of random keys with allkeys-lru, each write over the limit: every SET evicts (redis-benchmark). */
async function evictingSets(server: BenchServer, requests: number): Promise<number> {
  await configure(server, 'allkeys-lru');
  const result = await redisBenchmarkCommand(server.port, 'SET', ['SET', 'key:__rand_int__', VALUE], { requests, pipeline: 16, clients: 50, keyspace: 10_000_000 });
  await reset(server);
  return result.rps;
}

/** The rows of #25: an eviction-heavy SET flood and the cache workload. */
export const maxmemoryBench: FamilyBench = async (servers, quick) => {
  const rounds = quick ? 1 : 3;
  const rows: FamilyRow[] = [];
  const sets = await alternate(servers, rounds, (s) => evictingSets(s, quick ? 200_000 : 1_000_000));
  rows.push({ family: 'maxmemory', test: 'SET, allkeys-lru, evicting (maxmemory = empty + 20 MB)', pipeline: 16, ...sets, unit: 'ops/s', target: 0.8 });
  // About 110 k keys of 100 bytes fit in 20 MB on Redis: 10 x as many keys.
  const keys = 1_100_000;
  const operations = quick ? 100_000 : 600_000;
  const results: Record<string, { opsPerSec: number; hitRate: number; rssRatio: number }> = {};
  for (const server of [servers.redix, servers.redis]) results[server.name] = await cacheWorkload(server, keys, operations);
  const { redix, redis } = results;
  rows.push({ family: 'maxmemory', test: 'cache GET/SET-on-miss, 80/20 keys, allkeys-lru', pipeline: 1, redix: redix.opsPerSec, redis: redis.opsPerSec, unit: 'ops/s', target: 0.8 });
  rows.push({ family: 'maxmemory', test: 'cache hit rate (warm half)', pipeline: 1, redix: redix.hitRate, redis: redis.hitRate, unit: '%', target: null });
  rows.push({ family: 'maxmemory', test: 'cache peak RSS growth / 20 MB allowed', pipeline: 1, redix: redix.rssRatio, redis: redis.rssRatio, unit: 'x', target: null });
  return rows;
};
