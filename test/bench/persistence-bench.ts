import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { loadMixedDataset } from './mixed-dataset';
import { startBenchServer, type BenchServer } from './servers';
import { redisBenchmark } from './throughput';

export interface PersistenceResult {
  measure: string;
  redix: number;
  redis: number;
  ratio: number;
}

/** Whether Redix has a command (persistence plugins land one by one). */
async function hasCommand(server: BenchServer, name: string): Promise<boolean> {
  const conn = await RawConnection.connect(server.port);
  try {
    const reply = (await conn.command(['COMMAND', 'INFO', name])).toString();
    return !reply.startsWith('*1\r\n*-1') && !reply.startsWith('*1\r\n_');
  } finally {
    conn.close();
  }
}

/** Fills a server; resolves to the number of keys it then holds. */
type Filler = (server: BenchServer) => Promise<number>;

const stringsOf = (keys: number): Filler => async (server) => {
  await load(server, keys);
  return keys;
};
const mixedOf = (keys: number): Filler => (server) => loadMixedDataset(server, keys);

async function load(server: BenchServer, keys: number): Promise<void> {
  const conn = await RawConnection.connect(server.port);
  try {
    for (let start = 0; start < keys; start += 1000) {
      const n = Math.min(1000, keys - start);
      const parts: Buffer[] = [];
      for (let i = 0; i < n; i++) parts.push(encodeCommand(['SET', `key:${start + i}`, 'v'.repeat(16)]));
      conn.write(Buffer.concat(parts));
      await conn.readReplies(n, 60_000);
    }
  } finally {
    conn.close();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/** SAVE time and load-at-start time of the same dataset, in seconds. */
async function rdbTimes(name: 'redix' | 'redis', fill: Filler): Promise<{ save: number; load: number }> {
  const server = await startBenchServer(name);
  const keys = await fill(server);
  const conn = await RawConnection.connect(server.port);
  const save = await timed(() => conn.command(['SAVE'], 600_000));
  conn.close();
  await server.stop(true);
  let restarted: BenchServer | undefined;
  // Time from process start until the dataset is served (includes process start-up).
  const loadTime = await timed(async () => {
    restarted = await startBenchServer(name, [], server.dir);
    const c = await RawConnection.connect(restarted.port);
    for (;;) {
      const reply = (await c.command(['DBSIZE'])).toString();
      if (reply === `:${keys}\r\n`) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    c.close();
  });
  await restarted!.stop();
  return { save, load: loadTime };
}

async function setThroughput(name: 'redix' | 'redis', extra: string[], requests: number): Promise<number> {
  const server = await startBenchServer(name, extra);
  try {
    const [result] = await redisBenchmark(server.port, ['set'], { requests, pipeline: 1, clients: 50 });
    return result.rps;
  } finally {
    await server.stop();
  }
}

/** Seconds from process start until an empty server answers: the part of a load time that is not loading. */
async function emptyStartTime(name: 'redix' | 'redis'): Promise<number> {
  let server: BenchServer | undefined;
  const time = await timed(async () => {
    server = await startBenchServer(name);
  });
  await server!.stop();
  return time;
}

/** RDB save/load and AOF throughput, for whichever of those Redix already has. */
export async function persistenceBenchmarks(quick: boolean): Promise<PersistenceResult[]> {
  const results: PersistenceResult[] = [];
  const probe = await startBenchServer('redix');
  const [rdb, aof] = [await hasCommand(probe, 'save'), await hasCommand(probe, 'bgrewriteaof')];
  await probe.stop();
  const row = (measure: string, redix: number, redis: number) => results.push({ measure, redix, redis, ratio: redix / redis });
  if (rdb) {
    const keys = quick ? 100_000 : 1_000_000;
    const a = await rdbTimes('redix', stringsOf(keys));
    const b = await rdbTimes('redis', stringsOf(keys));
    row(`RDB SAVE of ${keys} keys (s)`, a.save, b.save);
    row(`RDB load of ${keys} keys, process start to served (s)`, a.load, b.load);
    const empty = { redix: await emptyStartTime('redix'), redis: await emptyStartTime('redis') };
    row('Process start to served, empty dataset (s)', empty.redix, empty.redis);
    const mixedA = await rdbTimes('redix', mixedOf(keys));
    const mixedB = await rdbTimes('redis', mixedOf(keys));
    row(`RDB load of ${keys} mixed-type keys, process start to served (s)`, mixedA.load, mixedB.load);
    row(`RDB load of ${keys} mixed-type keys, minus the empty start (s)`, mixedA.load - empty.redix, mixedB.load - empty.redis);
  }
  if (aof) {
    const requests = quick ? 20_000 : 100_000;
    const base = { redix: await setThroughput('redix', [], requests), redis: await setThroughput('redis', [], requests) };
    for (const fsync of ['everysec', 'always']) {
      const extra = ['--appendonly', 'yes', '--appendfsync', fsync];
      const redix = await setThroughput('redix', extra, requests);
      const redis = await setThroughput('redis', extra, requests);
      row(`SET rps with appendfsync ${fsync}, relative to no persistence`, redix / base.redix, redis / base.redis);
    }
  }
  return results;
}

/** Seconds from a replica's start until it holds all `keys` keys of its master (full sync). */
async function fullSyncTime(name: 'redix' | 'redis', fill: Filler): Promise<number> {
  const noDelay = ['--repl-diskless-sync-delay', '0'];
  const master = await startBenchServer(name, noDelay);
  const keys = await fill(master);
  let replica: BenchServer | undefined;
  try {
    return await timed(async () => {
      replica = await startBenchServer(name, [...noDelay, '--replicaof', `127.0.0.1 ${master.port}`]);
      const c = await RawConnection.connect(replica.port);
      for (;;) {
        const info = (await c.command(['INFO', 'replication'])).toString();
        const size = (await c.command(['DBSIZE'])).toString();
        if (info.includes('master_link_status:up') && size === `:${keys}\r\n`) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      c.close();
    });
  } finally {
    await replica?.stop();
    await master.stop();
  }
}

/** Full-sync time of a fresh replica, each server type replicating from its own kind. */
export async function replicationBenchmarks(quick: boolean): Promise<PersistenceResult[]> {
  const probe = await startBenchServer('redix');
  const available = await hasCommand(probe, 'psync');
  await probe.stop();
  if (!available) return [];
  const keys = quick ? 100_000 : 1_000_000;
  const rows: PersistenceResult[] = [];
  for (const [what, fill] of [['keys', stringsOf(keys)], ['mixed-type keys', mixedOf(keys)]] as const) {
    const redix = await fullSyncTime('redix', fill);
    const redis = await fullSyncTime('redis', fill);
    rows.push({ measure: `Full sync of a replica, ${keys} ${what}, replica start to in sync (s)`, redix, redis, ratio: redix / redis });
  }
  return rows;
}
