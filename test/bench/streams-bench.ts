import net from 'node:net';
import { encodeCommand } from '../helpers/raw-connection';
import { replyEnd } from '../helpers/resp-reader';
import { alternate, type FamilyBench, type FamilyRow } from './families';
import type { BenchServer } from './servers';
import { redisBenchmarkCommand } from './throughput';

/** A connection that sends one command at a time and resolves with its whole reply. */
function requester(port: number): Promise<{ send: (argv: string[]) => Promise<Buffer>; close: () => void }> {
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
      send: (argv) => new Promise((done) => {
        pending = done;
        socket.write(encodeCommand(argv));
      }),
      close: () => socket.destroy(),
    }));
  });
}

/** Fills `key` with `entries` entries of two small fields, in pipelined batches. */
async function fill(port: number, key: string, entries: number): Promise<void> {
  const c = await requester(port);
  await c.send(['DEL', key]);
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  let replies = 0;
  const done = new Promise<void>((resolve) => {
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let start = 0;
      for (let end = replyEnd(buffer, 0); end >= 0; end = replyEnd(buffer, start)) {
        replies++;
        start = end;
      }
      buffer = buffer.subarray(start);
      if (replies === entries) resolve();
    });
  });
  for (let i = 0; i < entries; i += 1000) {
    const batch: Buffer[] = [];
    for (let j = i; j < Math.min(entries, i + 1000); j++) batch.push(encodeCommand(['XADD', key, `${j + 1}-0`, 'field', `value-${j}`, 'n', String(j)]));
    socket.write(Buffer.concat(batch));
  }
  await done;
  socket.destroy();
  c.close();
}

/**
 * XREADGROUP COUNT 1 + XACK of what it got, per second: 50 consumers of one group each read one
 * new entry and acknowledge it, one command at a time (pipeline 1), until `pairs` are done.
 */
async function readAckPerSecond(server: BenchServer, pairs: number): Promise<number> {
  await fill(server.port, 'bench:group', pairs + 100);
  const admin = await requester(server.port);
  await admin.send(['XGROUP', 'CREATE', 'bench:group', 'g', '0']);
  admin.close();
  const clients = await Promise.all(Array.from({ length: 50 }, () => requester(server.port)));
  const perClient = Math.floor(pairs / clients.length);
  const started = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    for (let n = 0; n < perClient; n++) {
      const reply = (await c.send(['XREADGROUP', 'GROUP', 'g', `c${i}`, 'COUNT', '1', 'STREAMS', 'bench:group', '>'])).toString('latin1');
      const id = /\r\n(\d+-\d+)\r\n/.exec(reply.slice(reply.indexOf('bench:group')));
      if (id === null) throw new Error(`XREADGROUP returned no entry: ${reply}`);
      await c.send(['XACK', 'bench:group', 'g', id[1]]);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  for (const c of clients) c.close();
  return (perClient * clients.length) / seconds;
}

/** The streams family (#20): XADD with generated IDs, XRANGE COUNT 10, and a consume-acknowledge loop. */
export const streamsBench: FamilyBench = async (servers, quick) => {
  const rounds = quick ? 1 : 3;
  const rows: FamilyRow[] = [];
  for (const pipeline of [1, 16]) {
    const requests = (quick ? 20_000 : 100_000) * (pipeline === 1 ? 1 : 5);
    const xadd = await alternate(servers, rounds, async (s) => {
      const r = await redisBenchmarkCommand(s.port, 'XADD', ['XADD', 'bench:xadd', 'MAXLEN', '~', '100000', '*', 'field', 'value', 'n', '1'], { requests, pipeline, clients: 50 });
      return r.rps;
    });
    rows.push({ family: 'streams', test: 'XADD * (2 fields)', pipeline, ...xadd, unit: 'ops/s', target: pipeline === 1 ? 0.8 : null });
  }
  const rangeRequests = quick ? 20_000 : 100_000;
  const range = await alternate(servers, rounds, async (s) => {
    await fill(s.port, 'bench:range', 10_000);
    return (await redisBenchmarkCommand(s.port, 'XRANGE', ['XRANGE', 'bench:range', '5000', '+', 'COUNT', '10'], { requests: rangeRequests, pipeline: 1, clients: 50 })).rps;
  });
  rows.push({ family: 'streams', test: 'XRANGE COUNT 10', pipeline: 1, ...range, unit: 'ops/s', target: 0.8 });
  const loop = await alternate(servers, rounds, (s) => readAckPerSecond(s, quick ? 10_000 : 50_000));
  rows.push({ family: 'streams', test: 'XREADGROUP COUNT 1 + XACK', pipeline: 1, ...loop, unit: 'pairs/s', target: 0.8 });
  return rows;
};
