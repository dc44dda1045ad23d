import net from 'node:net';
import { encodeCommand } from '../helpers/raw-connection';
import { replyEnd } from '../helpers/resp-reader';
import { alternate, type FamilyBench, type FamilyRow } from './families';
import { redisBenchmarkCommand } from './throughput';

/** Sends commands pipelined on one connection and resolves with the raw replies once all came back. */
function pipelined(port: number, commands: Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const replies: Buffer[] = [];
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let start = 0;
      while (start < buffer.length) {
        const end = replyEnd(buffer, start);
        if (end < 0) break;
        replies.push(buffer.subarray(start, end));
        start = end;
      }
      buffer = buffer.subarray(start);
      if (replies.length === commands.length) {
        socket.destroy();
        resolve(replies);
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      for (let i = 0; i < commands.length; i += 100) socket.write(Buffer.concat(commands.slice(i, i + 100)));
    });
  });
}

/** redis-benchmark's __rand_int__: 12 digits, zero-padded. */
const member = (i: number): string => 'm:' + String(i).padStart(12, '0');

/** Fills `key` with `count` members m:<i> scored i, in ZADD batches of 1,000. */
async function fill(port: number, key: string, count: number): Promise<void> {
  const commands: Buffer[] = [encodeCommand(['DEL', key])];
  for (let i = 0; i < count; i += 1000) {
    const argv = ['ZADD', key];
    for (let j = i; j < Math.min(count, i + 1000); j++) argv.push(String(j), member(j));
    commands.push(encodeCommand(argv));
  }
  await pipelined(port, commands);
}

async function infoField(port: number, field: string): Promise<number> {
  const [reply] = await pipelined(port, [encodeCommand(['INFO', 'memory'])]);
  const m = new RegExp(`${field}:(\\d+)`).exec(reply.toString('latin1'));
  return m === null ? NaN : Number(m[1]);
}

/**
 * Sorted-set rows (#18): ZADD and ZPOPMIN as redis-benchmark runs them, ZRANGEBYSCORE (10 members
 * from a random score) and ZRANK of a random member on a 1,000,000-member set, and the resident
 * memory each member of that set costs.
 */
export const zsetsBench: FamilyBench = async (servers, quick) => {
  const rounds = quick ? 1 : 3;
  const requests = quick ? 20_000 : 100_000;
  const big = quick ? 100_000 : 1_000_000;
  const rows: FamilyRow[] = [];
  const row = (test: string, r: { redix: number; redis: number }, unit = 'ops/s', target: number | null = 0.8): void => {
    rows.push({ family: 'zsets', test, pipeline: 1, redix: r.redix, redis: r.redis, unit, target });
  };
  row('ZADD', await alternate(servers, rounds, async (s) => {
    await pipelined(s.port, [encodeCommand(['DEL', 'bench:zadd'])]);
    return (await redisBenchmarkCommand(s.port, 'ZADD', ['ZADD', 'bench:zadd', '__rand_int__', 'element:__rand_int__'], { requests, pipeline: 1, clients: 50 })).rps;
  }));
  row('ZPOPMIN', await alternate(servers, rounds, async (s) => {
    await fill(s.port, 'bench:zpop', requests);
    return (await redisBenchmarkCommand(s.port, 'ZPOPMIN', ['ZPOPMIN', 'bench:zpop'], { requests, pipeline: 1, clients: 50 })).rps;
  }));
  const rss: Record<string, number> = {};
  for (const s of [servers.redix, servers.redis]) {
    const before = await infoField(s.port, 'used_memory_rss');
    await fill(s.port, 'bench:big', big);
    rss[s.name] = ((await infoField(s.port, 'used_memory_rss')) - before) / big;
  }
  const label = big === 1_000_000 ? '1,000,000' : big.toLocaleString('en-US');
  row(`ZRANGEBYSCORE rand +inf LIMIT 0 10 (${label} members)`, await alternate(servers, rounds, async (s) =>
    (await redisBenchmarkCommand(s.port, 'ZRANGEBYSCORE', ['ZRANGEBYSCORE', 'bench:big', '__rand_int__', '+inf', 'LIMIT', '0', '10'], { requests, pipeline: 1, clients: 50, keyspace: big })).rps));
  row(`ZRANK rand member (${label} members)`, await alternate(servers, rounds, async (s) =>
    (await redisBenchmarkCommand(s.port, 'ZRANK', ['ZRANK', 'bench:big', 'm:__rand_int__'], { requests, pipeline: 1, clients: 50, keyspace: big })).rps));
  // Memory is a cost: the ratio column reads Redix/Redis bytes per member (target: at most 2).
  rows.push({ family: 'zsets', test: `RSS bytes per member (${label} members)`, pipeline: 1, redix: rss.redix, redis: rss.redis, unit: 'bytes', target: null });
  for (const s of [servers.redix, servers.redis]) await pipelined(s.port, [encodeCommand(['DEL', 'bench:big', 'bench:zpop', 'bench:zadd'])]);
  return rows;
};
