import net from 'node:net';
import { encodeCommand } from '../helpers/raw-connection';
import { replyEnd } from '../helpers/resp-reader';
import { alternate, type FamilyBench, type FamilyRow } from './families';
import type { BenchServer } from './servers';
import { redisBenchmarkCommand } from './throughput';

/** Bits in the bitmap the SETBIT/GETBIT rows hit at random (a 128 KB string). */
const BITMAP_BITS = 1 << 20;

/** Sends one command and waits for its reply. */
function send(port: number, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(encodeCommand(argv)));
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/**
 * Commands per second from `clients` connections, each sending `pipeline` commands from the pool
 * (round robin) and waiting for their replies before the next batch. redis-benchmark cannot put
 * a random number in an offset (its __rand_int__ has leading zeros, which offsets refuse), so a
 * Node load generator does it, the same for both servers.
 */
async function poolPerSecond(port: number, pool: Buffer[], requests: number, clients: number, pipeline: number): Promise<number> {
  const perClient = Math.ceil(requests / clients / pipeline);
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let batches = 0;
    let pending = 0;
    let buffer: Buffer = Buffer.alloc(0);
    let next = c * 97;
    const sendBatch = (): void => {
      const parts: Buffer[] = [];
      for (let i = 0; i < pipeline; i++) parts.push(pool[next++ % pool.length]);
      pending = pipeline;
      socket.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let start = 0;
      while (start < buffer.length) {
        const end = replyEnd(buffer, start);
        if (end < 0) break;
        pending--;
        start = end;
      }
      buffer = buffer.subarray(start);
      if (pending > 0) return;
      if (++batches >= perClient) {
        socket.destroy();
        resolve();
      } else {
        sendBatch();
      }
    });
    socket.once('error', reject);
    socket.once('connect', sendBatch);
  })));
  return (perClient * clients * pipeline) / ((performance.now() - started) / 1000);
}

/** A pool of commands `make(random offset)` with offsets spread over the bitmap. */
function offsetPool(make: (offset: number) => string[]): Buffer[] {
  let seed = 42;
  return Array.from({ length: 8192 }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return encodeCommand(make(seed % BITMAP_BITS));
  });
}

/** Requests per second of one redis-benchmark command line. */
async function rps(server: BenchServer, argv: string[], requests: number, pipeline: number, clients = 50): Promise<number> {
  return (await redisBenchmarkCommand(server.port, argv[0], argv, { requests, pipeline, clients })).rps;
}

/** Ten PFADD elements, random per call (redis-benchmark replaces each __rand_int__). */
const PFADD_10 = ['PFADD', 'hll:bench', ...Array.from({ length: 10 }, (_, i) => `e${i}:__rand_int__`)];

/**
 * The bitmaps and HyperLogLog rows (#21): SETBIT/GETBIT at random offsets of a 1M-bit bitmap,
 * PFADD of 10 elements, PFCOUNT of one and of three dense HLLs, and the memory-speed pair the
 * issue asks for: BITCOUNT of a 64 MB bitmap and BITOP OR of four 8 MB keys.
 */
export const bitmapsHllBench: FamilyBench = async (servers, quick) => {
  const rounds = quick ? 1 : 3;
  const rows: FamilyRow[] = [];
  for (const s of [servers.redix, servers.redis]) {
    await send(s.port, ['SETBIT', 'bm:bench', String(BITMAP_BITS - 1), '1']);
    for (const key of ['hll:a', 'hll:b', 'hll:c']) {
      await rps(s, ['PFADD', key, ...Array.from({ length: 10 }, () => `${key}:__rand_int__`)], quick ? 2_000 : 5_000, 16, 4);
    }
    await send(s.port, ['SETBIT', 'big:64mb', String(64 * 1024 * 1024 * 8 - 1), '1']);
    for (const key of ['op:1', 'op:2', 'op:3', 'op:4']) await send(s.port, ['SETBIT', key, String(8 * 1024 * 1024 * 8 - 1), '1']);
  }
  const setbits = offsetPool((o) => ['SETBIT', 'bm:bench', String(o), String(o & 1)]);
  const getbits = offsetPool((o) => ['GETBIT', 'bm:bench', String(o)]);
  for (const pipeline of [1, 16]) {
    const requests = (quick ? 20_000 : 100_000) * (pipeline === 1 ? 1 : 4);
    const target = pipeline === 1 ? 0.9 : null;
    const setbit = await alternate(servers, rounds, (s) => poolPerSecond(s.port, setbits, requests, 50, pipeline));
    rows.push({ family: 'bitmaps', test: 'SETBIT random offset (1M bits)', pipeline, ...setbit, unit: 'ops/s', target });
    const getbit = await alternate(servers, rounds, (s) => poolPerSecond(s.port, getbits, requests, 50, pipeline));
    rows.push({ family: 'bitmaps', test: 'GETBIT random offset (1M bits)', pipeline, ...getbit, unit: 'ops/s', target });
    const pfadd = await alternate(servers, rounds, (s) => rps(s, PFADD_10, requests, pipeline));
    rows.push({ family: 'hyperloglog', test: 'PFADD 10 elements', pipeline, ...pfadd, unit: 'ops/s', target });
    const one = await alternate(servers, rounds, (s) => rps(s, ['PFCOUNT', 'hll:a'], requests, pipeline));
    rows.push({ family: 'hyperloglog', test: 'PFCOUNT 1 key', pipeline, ...one, unit: 'ops/s', target });
    const three = await alternate(servers, rounds, (s) => rps(s, ['PFCOUNT', 'hll:a', 'hll:b', 'hll:c'], quick ? 2_000 : 10_000, pipeline));
    rows.push({ family: 'hyperloglog', test: 'PFCOUNT 3 keys', pipeline, ...three, unit: 'ops/s', target });
  }
  const bitcount = await alternate(servers, rounds, (s) => rps(s, ['BITCOUNT', 'big:64mb'], quick ? 20 : 100, 1, 1));
  rows.push({ family: 'bitmaps', test: 'BITCOUNT 64 MB', pipeline: 1, ...bitcount, unit: 'ops/s', target: null });
  const bitop = await alternate(servers, rounds, (s) => rps(s, ['BITOP', 'OR', 'op:dest', 'op:1', 'op:2', 'op:3', 'op:4'], quick ? 20 : 100, 1, 1));
  rows.push({ family: 'bitmaps', test: 'BITOP OR 4 x 8 MB', pipeline: 1, ...bitop, unit: 'ops/s', target: null });
  return rows;
};
