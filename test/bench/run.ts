/**
 * `npm run bench [-- --quick]`: Redix (production build) and a real redis-server measured in the
 * same run on the same machine, alternating A/B over rounds, reported as medians and ratios.
 * Absolute numbers drift on shared machines; the ratios are what we publish.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { measureHashMemory, measureMemory, type HashDataset, type MemoryResult } from './memory';
import { parserBenchmark } from './parser-bench';
import { persistenceBenchmarks, replicationBenchmarks, type PersistenceResult } from './persistence-bench';
import { startBenchServer, type BenchServer } from './servers';
import { redisBenchmark, type ThroughputResult } from './throughput';
import type { FamilyBench, FamilyRow } from './families';
import { kernelFamiliesBench } from './kernel-families-bench';
import { scriptingBench } from './scripting-bench';
import { listsBench } from './lists-bench';
import { setsBench } from './sets-bench';
import { streamsBench } from './streams-bench';
import { bitmapsHllBench } from './bitmaps-hll-bench';
import { maxmemoryBench } from './maxmemory-bench';
import { zsetsBench } from './zsets-bench';

/** Every command family's rows (one line per family). */
const FAMILY_BENCHES: FamilyBench[] = [kernelFamiliesBench, scriptingBench, listsBench, setsBench, streamsBench, bitmapsHllBench, zsetsBench, maxmemoryBench];

const quick = process.argv.includes('--quick');
/** `--families-only`: just the command-family rows (for working on one family). */
const familiesOnly = process.argv.includes('--families-only');
const TESTS = ['set', 'get', 'incr', 'hset', 'mset'];
const HEADLINE = ['SET', 'GET', 'INCR', 'HSET'];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  return cells.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(n < 10 ? 3 : 1);
}

interface ThroughputRow {
  test: string;
  pipeline: number;
  redixRps: number;
  redisRps: number;
  ratio: number;
  /** The minimal Node server (the ceiling); NaN for tests it does not implement (MSET). */
  minimalRps: number;
  redixP50: number;
  redisP50: number;
  redixP99: number;
  redisP99: number;
}

async function throughput(redix: BenchServer, redis: BenchServer, minimal: BenchServer): Promise<ThroughputRow[]> {
  const rounds = quick ? 1 : 3;
  // Warm-up, not recorded: lets V8 compile the hot paths before the measured rounds.
  for (const server of [redix, redis, minimal]) {
    for (const pipeline of [1, 16]) await redisBenchmark(server.port, TESTS, { requests: quick ? 10_000 : 50_000, pipeline, clients: 50 });
  }
  const samples = new Map<string, { redix: ThroughputResult[]; redis: ThroughputResult[]; minimal: ThroughputResult[] }>();
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first so drift (thermal, neighbours) does not favour one side.
    const order = round % 2 === 0 ? [redix, redis, minimal] : [minimal, redis, redix];
    for (const pipeline of [1, 16]) {
      const requests = (quick ? 20_000 : 100_000) * (pipeline === 1 ? 1 : 5);
      for (const server of order) {
        const results = await redisBenchmark(server.port, TESTS, { requests, pipeline, clients: 50 });
        for (const r of results) {
          const key = `${r.test}|${pipeline}`;
          const entry = samples.get(key) ?? { redix: [], redis: [], minimal: [] };
          entry[server.name].push(r);
          samples.set(key, entry);
        }
        process.stdout.write('.');
      }
    }
  }
  process.stdout.write('\n');
  const rows: ThroughputRow[] = [];
  for (const [key, s] of samples) {
    const [test, pipeline] = key.split('|');
    const redixRps = median(s.redix.map((r) => r.rps));
    const redisRps = median(s.redis.map((r) => r.rps));
    rows.push({
      test, pipeline: Number(pipeline), redixRps, redisRps, ratio: redixRps / redisRps,
      minimalRps: HEADLINE.includes(test) ? median(s.minimal.map((r) => r.rps)) : NaN,
      redixP50: median(s.redix.map((r) => r.p50)), redisP50: median(s.redis.map((r) => r.p50)),
      redixP99: median(s.redix.map((r) => r.p99)), redisP99: median(s.redis.map((r) => r.p99)),
    });
  }
  return rows;
}

/** Strings, then each hash dataset, each on a fresh server (no memory freed by another reused). */
async function memoryOf(name: 'redix' | 'redis', keys: number, hashSets: HashDataset[]): Promise<MemoryResult[]> {
  const results = await onFreshServer(name, (s) => measureMemory(s.port, s.pid, keys, []));
  for (const set of hashSets) results.push(await onFreshServer(name, (s) => measureHashMemory(s.port, s.pid, set)));
  return results;
}

async function onFreshServer<T>(name: 'redix' | 'redis', measure: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await startBenchServer(name);
  try {
    return await measure(server);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  for (const tool of ['redis-server', 'redis-benchmark']) {
    if (spawnSync(tool, ['--version']).status !== 0) {
      console.error(`bench: ${tool} is not installed (apt-get install redis-server redis-tools)`);
      process.exit(1);
    }
  }
  const started = Date.now();
  const redix = await startBenchServer('redix');
  const redis = await startBenchServer('redis');
  const minimal = await startBenchServer('minimal');
  let rows: ThroughputRow[] = [];
  const families: FamilyRow[] = [];
  try {
    console.log(`Redix vs redis-server ${spawnSync('redis-server', ['--version']).stdout.toString().split(' ')[2]}, ${quick ? 'quick' : 'full'} run`);
    if (!familiesOnly) rows = await throughput(redix, redis, minimal);
    for (const bench of FAMILY_BENCHES) families.push(...(await bench({ redix, redis }, quick)));
  } finally {
    await redix.stop();
    await redis.stop();
    await minimal.stop();
  }
  if (familiesOnly) {
    console.log(table(['family', 'test', 'pipeline', 'Redix', 'Redis', 'unit', 'Redix/Redis', 'target'],
      families.map((f) => [f.family, f.test, f.pipeline, f.redix, f.redis, f.unit, f.redix / f.redis, f.target === null ? '' : `>= ${f.target}`])));
    return;
  }
  // Memory on fresh processes, so nothing left from the throughput runs is counted.
  const keys = quick ? 100_000 : 1_000_000;
  // Hashtable-encoded (1,000 fields: issue #22's 100 hashes, and 1,000 in a full run) and
  // listpack-encoded (10 fields) hashes.
  const hashSets: HashDataset[] = [
    { hashes: 100, fields: 1000 },
    ...(quick ? [] : [{ hashes: 1000, fields: 1000 }]),
    { hashes: quick ? 10_000 : 100_000, fields: 10 },
  ];
  const memory = { redix: await memoryOf('redix', keys, hashSets), redis: await memoryOf('redis', keys, hashSets) };
  const persistence: PersistenceResult[] = [...(await persistenceBenchmarks(quick)), ...(await replicationBenchmarks(quick))];
  const parser = parserBenchmark(quick);

  console.log('\nThroughput (requests/s, redis-benchmark -c 50 -r 100000 -d 64; median of rounds)');
  console.log(table(['test', 'pipeline', 'Redix', 'Redis', 'Redix/Redis'], rows.map((r) => [r.test, r.pipeline, r.redixRps, r.redisRps, r.ratio])));
  if (families.length > 0) {
    console.log('\nCommand families (median of rounds)');
    console.log(table(['family', 'test', 'pipeline', 'Redix', 'Redis', 'unit', 'Redix/Redis', 'target'],
      families.map((f) => [f.family, f.test, f.pipeline, f.redix, f.redis, f.unit, f.redix / f.redis, f.target === null ? '' : `>= ${f.target}`])));
  }
  console.log('\nLatency at pipeline 1 (ms)');
  console.log(table(['test', 'Redix p50', 'Redis p50', 'Redix p99', 'Redis p99'], rows.filter((r) => r.pipeline === 1).map((r) => [r.test, r.redixP50, r.redisP50, r.redixP99, r.redisP99])));
  const summary: Record<string, number> = {};
  for (const p of [1, 16]) {
    summary[`median_ratio_p${p}`] = median(rows.filter((r) => r.pipeline === p && HEADLINE.includes(r.test)).map((r) => r.ratio));
  }
  console.log(`\nMedian Redix/Redis over SET/GET/INCR/HSET: pipeline 1 = ${summary.median_ratio_p1.toFixed(2)} (target >= 0.80), pipeline 16 = ${summary.median_ratio_p16.toFixed(2)} (target >= 0.45)`);
  // The ceiling: what a Node server doing nothing but parse and answer from a Map reaches here.
  const headline = rows.filter((r) => HEADLINE.includes(r.test));
  console.log('\nCeiling: a minimal Node.js RESP server (test/bench/minimal-server.ts) in the same rounds');
  console.log(table(['test', 'pipeline', 'minimal', 'minimal/Redis', 'Redix/minimal'], headline.map((r) => [r.test, r.pipeline, r.minimalRps, r.minimalRps / r.redisRps, r.redixRps / r.minimalRps])));
  for (const p of [1, 16]) {
    const atDepth = headline.filter((r) => r.pipeline === p);
    summary[`median_minimal_vs_redis_p${p}`] = median(atDepth.map((r) => r.minimalRps / r.redisRps));
    summary[`median_redix_vs_minimal_p${p}`] = median(atDepth.map((r) => r.redixRps / r.minimalRps));
  }
  console.log(`Median minimal/Redis: pipeline 1 = ${summary.median_minimal_vs_redis_p1.toFixed(2)}, pipeline 16 = ${summary.median_minimal_vs_redis_p16.toFixed(2)}; Redix/minimal: pipeline 1 = ${summary.median_redix_vs_minimal_p1.toFixed(2)}, pipeline 16 = ${summary.median_redix_vs_minimal_p16.toFixed(2)}`);
  {
    console.log('\nMemory (bytes per item: growth of INFO used_memory and of process RSS)');
    console.log(table(['dataset', 'Redix used', 'Redis used', 'ratio', 'Redix RSS', 'Redis RSS', 'ratio'], memory.redix.map((m, i) => {
      const r = memory.redis[i];
      return [m.dataset, m.usedMemoryPerItem, r.usedMemoryPerItem, m.usedMemoryPerItem / r.usedMemoryPerItem, m.rssPerItem, r.rssPerItem, m.rssPerItem / r.rssPerItem];
    })));
  }
  if (persistence.length > 0) {
    console.log('\nPersistence and replication');
    console.log(table(['measure', 'Redix', 'Redis', 'Redix/Redis'], persistence.map((p) => [p.measure, p.redix, p.redis, p.ratio])));
  }
  console.log('\nParser micro-benchmark (in process, absolute: no Redis counterpart)');
  console.log(table(['case', 'MB/s', 'commands/s'], parser.map((p) => [p.case, p.mbPerSecond, p.commandsPerSecond])));

  const resultsDir = resolve(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, summary, throughput: rows, families, memory, persistence, parser }, null, 2));
  console.log(`\nWritten ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});

