import type { Socket } from 'node:net';
import { startServer, type RedixServer } from '../../src/kernel/server';
import { Client } from '../../src/network/client';
import { encodeCommand } from '../helpers/raw-connection';

/**
 * Per-command CPU of the pipelined path in process: parse, dispatch, handler, reply building and
 * the batch's flush, on a real server with a fake socket (no network, so what is left is ours and
 * V8's). Commands are the ones redis-benchmark sends (`__rand_int__` below 100,000, 64-byte
 * values). Run it with `node dist/test/bench/dispatch-bench.js [pipeline] [names...]`; wrap in
 * `node --cpu-prof` to see where the time goes.
 */

/** A socket that takes every write at once, as a reading peer's kernel does for small replies. */
class SinkSocket {
  writableLength = 0;
  bytes = 0;
  write(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    return true;
  }
  end(): void {}
  destroy(): void {}
  pause(): void {}
  resume(): void {}
  once(): void {}
  on(): void {}
}

const VALUE = 'x'.repeat(64);
const R = 100_000;

/** redis-benchmark's command lines (its -t names), `#` standing for __rand_int__. */
const CASES: Record<string, string[]> = {
  set: ['SET', 'key:#', VALUE],
  get: ['GET', 'key:#'],
  incr: ['INCR', 'counter:#'],
  hset: ['HSET', 'myhash', 'element:#', VALUE],
  lpush: ['LPUSH', 'mylist', VALUE],
  rpush: ['RPUSH', 'mylist2', VALUE],
  lpop: ['LPOP', 'mylist'],
  sadd: ['SADD', 'myset', 'element:#'],
  mset: ['MSET', ...Array.from({ length: 10 }, () => ['key:#', VALUE]).flat()],
  zadd: ['ZADD', 'myzset', '#', 'element:#'],
  xadd: ['XADD', 'bench:xadd', 'MAXLEN', '~', '100000', '*', 'field', 'value', 'n', '1'],
  lrange_100: ['LRANGE', 'bench:range-list', '0', '99'],
  xrange: ['XRANGE', 'bench:range', '5000', '+', 'COUNT', '10'],
  ping: ['PING'],
  set_kea: ['SET', 'ks:bench', 'v'],
};

/** Cases of several commands sent together, counted as one (the transactions row: per transaction). */
const GROUPS: Record<string, string[][]> = {
  multi: [['MULTI'], ['SET', 'tx:#', 'v'], ['SET', 'tx:#:b', 'v'], ['EXEC']],
};

/** What a case reads, written first: as the bench families fill them. */
const SETUP: Record<string, () => string[][]> = {
  lrange_100: () => Array.from({ length: 600 }, () => ['RPUSH', 'bench:range-list', VALUE]),
  xrange: () => Array.from({ length: 10_000 }, (_, i) => ['XADD', 'bench:range', `${i + 1}-0`, 'field', `value-${i}`, 'n', String(i)]),
};

/** One command of a case, each `#` an independent random number (as redis-benchmark replaces each __rand_int__). */
function instance(name: string): Buffer {
  const group = GROUPS[name] ?? [CASES[name]];
  const r = () => String(Math.floor(Math.random() * R)).padStart(12, '0');
  return Buffer.concat(group.map((template) => encodeCommand(template.map((a) => a.replace('#', r)))));
}

/**
 * set_kea: SET with notify-keyspace-events KEA and one pattern subscriber on every event channel
 * (the kernel family's row); the subscriber's output is flushed to its sink after each batch.
 */
function subscribeToEvents(server: RedixServer, client: Client): Client {
  client.onData(encodeCommand(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']));
  const subscriber = new Client(server, 1_000_001, new SinkSocket() as unknown as Socket, { authenticated: true });
  subscriber.onData(encodeCommand(['PSUBSCRIBE', '__key*__:*']));
  return subscriber;
}

/** CPU microseconds per command for `name` at `pipeline`, over at least `ms` of CPU. */
function measure(server: RedixServer, client: Client, name: string, pipeline: number, ms: number): number {
  const setup = SETUP[name];
  if (setup !== undefined) client.onData(Buffer.concat(setup().map(encodeCommand)));
  const subscriber = name === 'set_kea' ? subscribeToEvents(server, client) : null;
  // 8,192 distinct commands at least: fewer random fields would keep HSET's hash a listpack.
  const count = Math.max(16, Math.ceil(8192 / pipeline));
  const batches: Buffer[] = [];
  for (let i = 0; i < count; i++) batches.push(Buffer.concat(Array.from({ length: pipeline }, () => instance(name))));
  // Warm-up: V8 compiles the path first.
  for (let i = 0; i < 20_000 / pipeline; i++) {
    client.onData(batches[i % count]);
    subscriber?.flush();
  }
  let commands = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < ms * 1000) {
    for (let i = 0; i < count; i++) {
      client.onData(batches[i]);
      subscriber?.flush();
    }
    commands += count * pipeline;
    const u = process.cpuUsage(start);
    used = u.user + u.system;
  }
  if (subscriber !== null) {
    client.onData(encodeCommand(['CONFIG', 'SET', 'notify-keyspace-events', '']));
    subscriber.kill();
  }
  return used / commands;
}

export async function dispatchBenchmark(pipeline: number, names: string[], ms: number): Promise<Record<string, number>> {
  const server: RedixServer = await startServer({ port: 0, bind: '127.0.0.1', save: '', appendonly: false }, { silent: true });
  const socket = new SinkSocket();
  const client = new Client(server, 1_000_000, socket as unknown as Socket, { authenticated: true });
  const out: Record<string, number> = {};
  try {
    for (const name of names) out[name] = measure(server, client, name, pipeline, ms);
  } finally {
    await server.shutdown();
  }
  return out;
}

if (require.main === module) {
  const pipeline = Number(process.argv[2] ?? 1);
  const names = process.argv.length > 3 ? process.argv.slice(3) : [...Object.keys(CASES), ...Object.keys(GROUPS)];
  const ms = Number(process.env.DISPATCH_BENCH_MS ?? 1000);
  void dispatchBenchmark(pipeline, names, ms).then((out) => {
    for (const [name, us] of Object.entries(out)) console.log(`${name.padEnd(11)} p${pipeline} ${us.toFixed(2)} us/command`);
  });
}
