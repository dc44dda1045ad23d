import net from 'node:net';
import { encodeCommand } from '../helpers/raw-connection';
import { replyEnd } from '../helpers/resp-reader';
import { alternate, cpuSeconds, median, type FamilyBench, type FamilyRow } from './families';
import type { BenchServer } from './servers';
import { redisBenchmarkCommand } from './throughput';

/** Opens a socket and counts complete replies (or pushes) as they arrive. */
function counter(port: number): Promise<{ socket: net.Socket; count: () => number; waitFor: (n: number) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer: Buffer = Buffer.alloc(0);
    let count = 0;
    let waiter: { n: number; done: () => void } | null = null;
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let start = 0;
      while (start < buffer.length) {
        const end = replyEnd(buffer, start);
        if (end < 0) break;
        count++;
        start = end;
      }
      buffer = buffer.subarray(start);
      if (waiter !== null && count >= waiter.n) {
        const w = waiter;
        waiter = null;
        w.done();
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => resolve({
      socket,
      count: () => count,
      waitFor: (n) => (count >= n ? Promise.resolve() : new Promise((done) => (waiter = { n, done }))),
    }));
  });
}

/**
 * MULTI/SET/SET/EXEC transactions per second at pipeline 1 (each of 50 connections sends one
 * transaction and waits for its 4 replies): redis-benchmark cannot send a transaction, so a Node
 * load generator does, the same for both servers.
 */
async function transactionsPerSecond(server: BenchServer, transactions: number, cpu: { perTx: number }): Promise<number> {
  const clients = await Promise.all(Array.from({ length: 50 }, () => counter(server.port)));
  const perClient = Math.ceil(transactions / clients.length);
  const started = performance.now();
  const cpuBefore = cpuSeconds(server.pid);
  await Promise.all(clients.map(async (c, i) => {
    for (let t = 0; t < perClient; t++) {
      const key = `tx:${i}:${t % 100}`;
      c.socket.write(Buffer.concat([encodeCommand(['MULTI']), encodeCommand(['SET', key, 'v']), encodeCommand(['SET', key + ':b', 'v']), encodeCommand(['EXEC'])]));
      await c.waitFor((t + 1) * 4);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  cpu.perTx = ((cpuSeconds(server.pid) - cpuBefore) * 1e6) / (perClient * clients.length);
  for (const c of clients) c.socket.destroy();
  return (perClient * clients.length) / seconds;
}

/**
 * PUBLISH with `subscribers` subscriber connections on one channel: publishes per second as
 * redis-benchmark measures them, and every message checked delivered to every subscriber.
 */
async function publishPerSecond(server: BenchServer, subscribers: number, requests: number, pipeline: number): Promise<number> {
  const subs = await Promise.all(Array.from({ length: subscribers }, () => counter(server.port)));
  for (const s of subs) s.socket.write(encodeCommand(['SUBSCRIBE', 'bench']));
  await Promise.all(subs.map((s) => s.waitFor(1)));
  const result = await redisBenchmarkCommand(server.port, 'PUBLISH', ['PUBLISH', 'bench', 'message-of-32-bytes-for-the-row!'], { requests, pipeline, clients: 50 });
  // Every subscriber got every message (plus its subscribe confirmation).
  await Promise.all(subs.map((s) => s.waitFor(requests + 1)));
  for (const s of subs) s.socket.destroy();
  return result.rps;
}

/**
 * SET on one key with notify-keyspace-events KEA and one pattern subscriber on every keyspace and
 * keyevent channel: sets per second, every event (two per SET) checked delivered.
 */
export async function setWithEventsPerSecond(server: BenchServer, requests: number, pipeline: number): Promise<number> {
  const admin = await counter(server.port);
  admin.socket.write(encodeCommand(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']));
  await admin.waitFor(1);
  const sub = await counter(server.port);
  try {
    sub.socket.write(encodeCommand(['PSUBSCRIBE', '__key*__:*']));
    await sub.waitFor(1);
    const result = await redisBenchmarkCommand(server.port, 'SET', ['SET', 'ks:bench', 'v'], { requests, pipeline, clients: 50 });
    await sub.waitFor(1 + 2 * requests);
    return result.rps;
  } finally {
    sub.socket.destroy();
    admin.socket.write(encodeCommand(['CONFIG', 'SET', 'notify-keyspace-events', '']));
    await admin.waitFor(2);
    admin.socket.destroy();
  }
}

/** The rows of the kernel families: transactions (#14), Pub/Sub and keyspace events (#15). */
export const kernelFamiliesBench: FamilyBench = async (servers, quick) => {
  const rounds = quick ? 1 : 3;
  const rows: FamilyRow[] = [];
  const cpu = { perTx: 0 };
  const cpuPerTx: Record<string, number[]> = { redix: [], redis: [] };
  const tx = await alternate(servers, rounds, async (s) => {
    const rate = await transactionsPerSecond(s, quick ? 5_000 : 30_000, cpu);
    cpuPerTx[s.name].push(cpu.perTx);
    return rate;
  });
  rows.push({ family: 'transactions', test: 'MULTI SET SET EXEC', pipeline: 1, ...tx, unit: 'tx/s', target: 0.8 });
  // The load generator (this process) can saturate before either server: server CPU per
  // transaction is the capacity figure (Redis/Redix of it is the ratio to read).
  rows.push({ family: 'transactions', test: 'server CPU per transaction (lower is better)', pipeline: 1, redix: median(cpuPerTx.redix), redis: median(cpuPerTx.redis), unit: 'µs', target: null });
  for (const pipeline of [1, 16]) {
    const requests = (quick ? 20_000 : 100_000) * (pipeline === 1 ? 1 : 5);
    const zero = await alternate(servers, rounds, (s) => publishPerSecond(s, 0, requests, pipeline));
    rows.push({ family: 'pubsub', test: 'PUBLISH (0 subscribers)', pipeline, ...zero, unit: 'publish/s', target: pipeline === 1 ? 0.9 : null });
  }
  const fanRequests = quick ? 2_000 : 10_000;
  const fan = await alternate(servers, rounds, (s) => publishPerSecond(s, 1000, fanRequests, 1));
  rows.push({ family: 'pubsub', test: 'PUBLISH (1,000 subscribers)', pipeline: 1, redix: fan.redix, redis: fan.redis, unit: 'publish/s', target: 0.9 });
  rows.push({ family: 'pubsub', test: 'messages delivered (1,000 subscribers)', pipeline: 1, redix: fan.redix * 1000, redis: fan.redis * 1000, unit: 'msgs/s', target: null });
  const events = await alternate(servers, rounds, (s) => setWithEventsPerSecond(s, quick ? 20_000 : 100_000, 1));
  rows.push({ family: 'keyspace events', test: 'SET (KEA, 1 pattern subscriber)', pipeline: 1, ...events, unit: 'set/s', target: 0.9 });
  return rows;
};
