import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * Input limits read live from the config, against a real redis-server: proto-max-bulk-len,
 * client-query-buffer-limit, inline commands cut at a NUL byte. And memory: a big value deleted is
 * given back.
 */
if (!hasRedisServer) console.warn(`input limit tests skipped: ${REDIS_MISSING}`);

const MB = 1024 * 1024;

/** Sends `bytes` and returns what came back before the server closed the connection (or its first reply). */
async function outcome(port: number, setup: string[][], bytes: Buffer, replyTimeoutMs = 3_000): Promise<string> {
  const admin = await RawConnection.connect(port);
  for (const c of setup) await admin.command(c);
  admin.close();
  const conn = await RawConnection.connect(port);
  conn.write(bytes);
  try {
    const [reply] = await conn.readReplies(1, replyTimeoutMs);
    await conn.waitClosed(300).catch(() => undefined);
    return `${reply.toString('latin1')}${conn.closed ? ' (closed)' : ' (open)'}`;
  } catch {
    return conn.closed ? '(closed without a reply)' : '(no reply)';
  } finally {
    conn.close();
  }
}

describe.skipIf(!hasRedisServer)('input limits, as redis-server', () => {
  const servers = useRedisAndRedix();
  const both = async (setup: string[][], bytes: Buffer, replyTimeoutMs?: number) => ({
    redis: await outcome(servers.redis.port, setup, bytes, replyTimeoutMs),
    redix: await outcome(servers.redix.port, setup, bytes, replyTimeoutMs),
  });
  const bigSet = (size: number) => encodeCommand(['SET', 'big', Buffer.alloc(size, 120)]);

  it('proto-max-bulk-len is read live: lowered, a longer bulk is a protocol error; raised again, it is stored', async () => {
    // Only the header: with megabytes still unread when the server closes, the peer's RST can
    // discard the error reply before the client reads it (seen on redis-server under load).
    const header = Buffer.from(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${3 * MB}\r\n`);
    const lowered = await both([['CONFIG', 'SET', 'proto-max-bulk-len', '2mb']], header);
    expect(lowered.redix).toBe(lowered.redis);
    expect(lowered.redix).toBe('-ERR Protocol error: invalid bulk length\r\n (closed)');
    const raised = await both([['CONFIG', 'SET', 'proto-max-bulk-len', '512mb']], bigSet(3 * MB));
    expect(raised.redix).toBe(raised.redis);
    expect(raised.redix).toBe('+OK\r\n (open)');
  });

  it('client-query-buffer-limit: a request larger than it closes only that connection', async () => {
    const limited = await both([['CONFIG', 'SET', 'client-query-buffer-limit', '1mb']], bigSet(3 * MB));
    expect(limited.redix).toBe(limited.redis);
    expect(limited.redix).toBe('(closed without a reply)');
    const restored = await both([['CONFIG', 'SET', 'client-query-buffer-limit', '1gb']], bigSet(3 * MB));
    expect(restored.redix).toBe('+OK\r\n (open)');
  });

  it('an inline command with a NUL byte before its newline never completes (Redis looks for the newline with strchr)', async () => {
    for (const line of ['PING\0hello\r\n', '\0PING\r\nPING\r\n', 'PING\r\nPING\0\r\n']) {
      // Waiting half a second for a reply that does not come.
      const r = await both([], Buffer.from(line, 'latin1'), 500);
      expect(r.redix, JSON.stringify(line)).toBe(r.redis);
    }
    // Until the inline limit is passed: then the protocol error.
    const flood = await both([], Buffer.concat([Buffer.from('PING\0'), Buffer.alloc(70 * 1024, 97)]));
    expect(flood.redix).toBe(flood.redis);
    expect(flood.redix).toBe('-ERR Protocol error: too big inline request\r\n (closed)');
  });

  it('a peer that keeps writing after a protocol error sees the connection closed, as Redis closes it (Tcl protocol desync tests)', async () => {
    for (const start of ['\0', '*\0', '$\0']) {
      const [redis, redix] = await Promise.all([servers.redis.port, servers.redix.port].map((port) => writeUntilClosed(port, start)));
      // The reply may be lost to the reset that ends the peer's writes (it is with Redis, often).
      for (const r of [redis, redix]) expect(r.reply, JSON.stringify(start)).toMatch(/^(-ERR Protocol error: too big (inline request|mbulk count string)\r\n)?$/);
      // Bounded: the server stopped reading and closed (16 MB would mean it never did).
      expect(redis.sent).toBeLessThan(16 * MB);
      expect(redix.sent).toBeLessThan(16 * MB);
    }
  });
});

/** Writes `start` and then "payload" in 7 KB chunks until the socket fails (or 16 MB); returns what was read. */
function writeUntilClosed(port: number, start: string): Promise<{ reply: string; sent: number }> {
  return new Promise((resolve) => {
    // Half-open allowed, as a plain socket (Tcl's, Python's): a FIN alone does not stop the writes.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const received: Buffer[] = [];
    const chunk = Buffer.from('payload'.repeat(1024));
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ reply: Buffer.concat(received).toString('latin1'), sent });
    };
    socket.on('data', (d) => received.push(d));
    socket.on('error', finish);
    socket.on('close', finish);
    const pump = () => {
      while (!done && sent < 16 * MB) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!done) finish();
    };
    socket.on('connect', () => {
      socket.write(Buffer.from(start, 'latin1'));
      pump();
    });
  });
}

describe('memory of a deleted big value is given back', () => {
  let server: RedixServer;
  beforeAll(async () => {
    server = await startRedix();
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  it('used_memory returns near where it was after DEL, FLUSHALL and MEMORY PURGE', async () => {
    const conn = await RawConnection.connect(server.port);
    const used = async () => Number(/used_memory:(\d+)/.exec((await conn.command(['INFO', 'memory'])).toString())![1]);
    await conn.command(['MEMORY', 'PURGE']);
    const before = await used();
    expect((await conn.command(['SET', 'big', Buffer.alloc(100 * MB, 97)], 60_000)).toString()).toBe('+OK\r\n');
    const holding = await used();
    expect(holding - before).toBeGreaterThan(90 * MB);
    await conn.command(['DEL', 'big']);
    await conn.command(['FLUSHALL']);
    await conn.command(['MEMORY', 'PURGE']);
    expect((await used()) - before).toBeLessThan(50 * MB);
    conn.close();
  });
});
