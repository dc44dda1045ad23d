import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { formatMismatches, readCases, runDifferential } from '../helpers/differential';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { hasRedisServer, startRedisServer } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

const started: RedixServer[] = [];
async function redix(settings: Parameters<typeof startRedix>[0] = {}): Promise<RedixServer> {
  const s = await startRedix(settings);
  started.push(s);
  return s;
}
afterEach(async () => {
  for (const s of started.splice(0)) await s.shutdown();
});

describe('server behaviour', () => {
  it.skipIf(!hasRedisServer)('requirepass: NOAUTH, WRONGPASS and HELLO AUTH exactly as Redis', async () => {
    const real = await startRedisServer(['--requirepass', 'secret']);
    const server = await redix({ requirepass: 'secret' });
    try {
      for (const file of ['auth.txt', 'auth-after.txt']) {
        const cases = readCases(resolve(__dirname, 'cases', file));
        const mismatches = await runDifferential(cases, real.port, server.port, 2);
        expect(mismatches.length, formatMismatches(file, 2, mismatches)).toBe(0);
      }
    } finally {
      await real.stop();
    }
  });

  it('refuses connections over maxclients with Redis\'s error', async () => {
    const server = await redix({ maxclients: 2 });
    const a = await RawConnection.connect(server.port);
    const b = await RawConnection.connect(server.port);
    expect((await a.command(['PING'])).toString()).toBe('+PONG\r\n');
    expect((await b.command(['PING'])).toString()).toBe('+PONG\r\n');
    const c = await RawConnection.connect(server.port);
    await c.waitClosed();
    expect(c.pending.toString()).toBe('-ERR max number of clients reached\r\n');
    a.close();
    b.close();
  });

  it('closes clients idle longer than timeout, and only those', async () => {
    const server = await redix({ timeout: 1 });
    const idle = await RawConnection.connect(server.port);
    const busy = await RawConnection.connect(server.port);
    const deadline = Date.now() + 4000;
    while (!idle.closed && Date.now() < deadline) {
      await busy.command(['PING']);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(idle.closed).toBe(true);
    expect((await busy.command(['PING'])).toString()).toBe('+PONG\r\n');
    busy.close();
  });

  it('turns a handler that throws into -ERR and keeps the connection and server up', async () => {
    const server = await redix({ plugins: [resolve(__dirname, '../fixtures/faulty-plugin/index.ts')] });
    const conn = await RawConnection.connect(server.port);
    expect((await conn.command(['BOOM'])).toString()).toBe("-ERR internal error while running 'boom': kaboom\r\n");
    expect((await conn.command(['PING'])).toString()).toBe('+PONG\r\n');
    expect(server.stats.unexpectedErrorReplies).toBe(1);
    conn.close();
  });

  it('runs two servers in one process with separate keyspaces and configs', async () => {
    const one = await redix({ databases: 4 });
    const two = await redix({ databases: 8 });
    const a = await RawConnection.connect(one.port);
    const b = await RawConnection.connect(two.port);
    expect((await a.command(['SELECT', '5'])).toString()).toBe('-ERR DB index is out of range\r\n');
    expect((await b.command(['SELECT', '5'])).toString()).toBe('+OK\r\n');
    expect((await a.command(['CONFIG', 'SET', 'hash-max-listpack-entries', '7'])).toString()).toBe('+OK\r\n');
    expect((await b.command(['CONFIG', 'GET', 'hash-max-listpack-entries'])).toString()).toBe('*2\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n512\r\n');
    a.close();
    b.close();
  });

  it('accepts CLIENT SETINFO as Redis 7.2 does (redis-server 7.0 has no SETINFO to compare with)', async () => {
    const server = await redix();
    const conn = await RawConnection.connect(server.port);
    expect((await conn.command(['CLIENT', 'SETINFO', 'lib-name', 'ioredis'])).toString()).toBe('+OK\r\n');
    expect((await conn.command(['CLIENT', 'SETINFO', 'LIB-VER', '6.0.0'])).toString()).toBe('+OK\r\n');
    expect((await conn.command(['CLIENT', 'SETINFO', 'LIB-NAME', 'a b'])).toString()).toBe('-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n');
    expect((await conn.command(['CLIENT', 'SETINFO', 'foo', 'a b'])).toString()).toBe("-ERR Unrecognized option 'foo'\r\n");
    expect((await conn.command(['CLIENT', 'SETINFO', 'lib-name'])).toString()).toBe("-ERR wrong number of arguments for 'client|setinfo' command\r\n");
    conn.close();
  });

  it.skipIf(!hasRedisServer)('maxclients: one connection too many gets Redis\'s error and is closed, and is counted as rejected only', async () => {
    const real = await startRedisServer(['--maxclients', '2']);
    const server = await redix({ maxclients: 2 } as never);
    const counters = async (conn: RawConnection) => {
      const stats = String(await conn.command(['INFO', 'stats']));
      return [/total_connections_received:(\d+)/, /rejected_connections:(\d+)/].map((re) => Number(re.exec(stats)![1]));
    };
    try {
      const changes: number[][] = [];
      for (const port of [real.port, server.port]) {
        const first = await RawConnection.connect(port);
        const before = await counters(first);
        const second = await RawConnection.connect(port);
        expect(String(await second.command(['PING']))).toBe('+PONG\r\n');
        const third = await RawConnection.connect(port);
        await third.waitClosed();
        expect(third.pending.toString('latin1'), `port ${port}`).toBe('-ERR max number of clients reached\r\n');
        const after = await counters(first);
        changes.push(after.map((n, i) => n - before[i]));
        // The connections that were accepted go on.
        expect(String(await second.command(['PING']))).toBe('+PONG\r\n');
        first.close();
        second.close();
      }
      expect(changes[1]).toEqual(changes[0]);
      expect(changes[0]).toEqual([1, 1]);
    } finally {
      await real.stop();
    }
  });

  it('answers all the commands of one read with one socket write', async () => {
    const server = await redix();
    const conn = await RawConnection.connect(server.port);
    await conn.command(['PING']);
    const client = [...server.clientMap.values()].find((c) => c.lastCommand === 'ping')!;
    let reads = 0;
    let writes = 0;
    // Every read reaches the parser once (the shared read buffer has no 'data' events to count).
    const feed = client.parser.feed.bind(client.parser);
    client.parser.feed = (chunk: Buffer) => {
      reads++;
      feed(chunk);
    };
    const write = client.socket!.write.bind(client.socket!) as (b: Buffer) => boolean;
    (client.socket as unknown as { write: (b: Buffer) => boolean }).write = (b: Buffer) => {
      writes++;
      return write(b);
    };
    conn.write(Buffer.concat(Array.from({ length: 1000 }, (_, i) => encodeCommand(['ECHO', String(i)]))));
    const replies = await conn.readReplies(1000);
    expect(replies[999].toString()).toBe('$3\r\n999\r\n');
    expect(reads).toBeGreaterThan(0);
    expect(writes).toBe(reads);
    conn.close();
  });

  it('sends RESP3 types after HELLO 3 and RESP2 forms otherwise', async () => {
    const server = await redix();
    const conn = await RawConnection.connect(server.port);
    expect((await conn.command(['CONFIG', 'GET', 'maxmemory'])).toString()).toBe('*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    expect((await conn.command(['CLIENT', 'GETNAME'])).toString()).toBe('$-1\r\n');
    await conn.command(['HELLO', '3']);
    expect((await conn.command(['CONFIG', 'GET', 'maxmemory'])).toString()).toBe('%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    expect((await conn.command(['CLIENT', 'GETNAME'])).toString()).toBe('_\r\n');
    expect((await conn.command(['INFO', 'server'])).toString()).toMatch(/^=\d+\r\ntxt:# Server\r\n/);
    conn.close();
  });
});
