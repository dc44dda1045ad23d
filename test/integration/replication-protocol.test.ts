import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedixServer } from '../../src/index';
import { RdbBufferReader, readRdb } from '../../src/api/persistence';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { hasRedisCli, hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { runProcess } from '../helpers/run-process';
import { connect, info, makeTempDir, removeDir, waitFor } from './replication-test-support';

/** A socket that collects everything a master sends (RDB payloads are not RESP replies). */
class StreamReader {
  buffer = Buffer.alloc(0);
  closed = false;
  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => (this.buffer = Buffer.concat([this.buffer, d])));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<StreamReader> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new StreamReader(socket)));
      socket.once('error', reject);
    });
  }

  send(args: string[]): void {
    this.socket.write(encodeCommand(args));
  }

  /** Sends a command and consumes its one-line reply (REPLCONF before SYNC: SYNC refuses pending output). */
  async ask(args: string[]): Promise<string> {
    this.send(args);
    await this.until((buf) => buf.includes('\r\n'));
    const nl = this.buffer.indexOf('\r\n');
    return this.take(nl + 2).toString('latin1');
  }

  text(max = 200): string {
    return this.buffer.toString('latin1', 0, Math.min(max, this.buffer.length));
  }

  async until(test: (buf: Buffer) => boolean, timeoutMs = 10_000): Promise<Buffer> {
    await waitFor(() => test(this.buffer) || this.closed, timeoutMs, 'bytes from the master');
    return this.buffer;
  }

  take(n: number): Buffer {
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Parses an RDB payload with Redix's reader: the keys it holds, and its AUX fields. */
function readPayload(server: RedixServer, rdb: Buffer): { keys: string[]; aux: Map<string, string> } {
  const keys: string[] = [];
  const summary = readRdb(new RdbBufferReader(rdb), server.dataTypes, { databases: 16, verifyChecksum: true, skipExpired: false }, (e) => keys.push(`${e.dbIndex}:${e.key}`));
  return { keys: keys.sort(), aux: new Map(summary.aux) };
}

describe.skipIf(!hasRedisServer)('replication commands: replies as redis-server 7.0 gives them', () => {
  let real: RealRedis;
  let redix: RedixServer;
  let a: RawConnection;
  let b: RawConnection;

  beforeAll(async () => {
    real = await startRedisServer();
    redix = await startRedix();
    a = await RawConnection.connect(real.port);
    b = await RawConnection.connect(redix.port);
  });

  afterAll(async () => {
    a.close();
    b.close();
    await redix.shutdown();
    await real.stop();
  });

  const cases: string[][] = [
    ['ROLE'],
    ['ROLE', 'x'],
    ['REPLICAOF', 'NO', 'ONE'],
    ['SLAVEOF', 'no', 'one'],
    ['REPLICAOF', 'localhost', 'abc'],
    ['REPLICAOF', 'localhost', '70000'],
    ['REPLICAOF', 'localhost', '-1'],
    ['REPLICAOF', 'no', 'one', 'x'],
    ['REPLCONF'],
    ['REPLCONF', 'a'],
    ['REPLCONF', 'foo', 'bar'],
    ['REPLCONF', 'listening-port', 'abc'],
    ['REPLCONF', 'listening-port', '99999999999999999999'],
    ['REPLCONF', 'rdb-only', '2'],
    ['REPLCONF', 'rdb-only', 'x'],
    ['REPLCONF', 'rdb-filter-only', 'foo'],
    ['REPLCONF', 'capa', 'eof', 'capa', 'whatever'],
    ['REPLCONF', 'ip-address', '10.0.0.1'],
    ['REPLCONF', 'ip-address', 'x'.repeat(300)],
    ['WAIT', '0', '0'],
    ['WAIT', '1', '10'],
    ['WAIT', 'a', '10'],
    ['WAIT', '1', '-1'],
    ['WAIT', '1', 'a'],
    ['WAIT', '1'],
    ['PSYNC', '?', 'abc'],
    ['PSYNC', '?'],
    ['SYNC', 'x'],
    ['CLIENT', 'LIST', 'TYPE', 'replica'],
    ['CLIENT', 'KILL', 'TYPE', 'replica'],
    ['CLIENT', 'KILL', 'TYPE', 'slave'],
    ['CLIENT', 'KILL', 'TYPE', 'master'],
    ['COMMAND', 'INFO', 'replicaof', 'slaveof', 'sync', 'psync', 'replconf', 'role'],
    ['COMMAND', 'COUNT'],
  ];

  it.each(cases.map((c) => [c.join(' ').slice(0, 60), c]))('%s', async (_name, args) => {
    const expected = await a.command(args as string[]);
    const actual = await b.command(args as string[]);
    if ((args as string[])[1] === 'COUNT') return; // only checks that both answer
    expect(actual.toString('latin1')).toBe(expected.toString('latin1'));
  });

  it('REPLCONF ACK and GETACK from a normal client get no reply at all', async () => {
    for (const conn of [a, b]) {
      conn.write(encodeCommand(['REPLCONF', 'ACK', '5']));
      conn.write(encodeCommand(['REPLCONF', 'GETACK', '*']));
      expect((await conn.command(['PING'])).toString()).toBe('+PONG\r\n');
    }
  });

  it('INFO replication of a master has Redis\'s fields in Redis\'s order', async () => {
    const names = async (port: number) => (await connect(port).info('replication')).split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')[0]);
    expect(await names(redix.port)).toEqual(await names(real.port));
  });
});

describe('replication protocol of a Redix master', () => {
  let master: RedixServer;

  beforeAll(async () => {
    master = await startRedix({ replDisklessSyncDelay: 0 } as never);
    const c = connect(master.port);
    await c.set('a', '1');
    await c.hset('h', 'f', 'v');
    await c.select(3);
    await c.set('b', 'x'.repeat(100), 'PX', 100_000);
    c.disconnect();
  });

  afterAll(async () => {
    await master.shutdown();
  });

  it('SYNC gets "$<length>" and the RDB (no +FULLRESYNC line), then the stream', async () => {
    const r = await StreamReader.connect(master.port);
    r.socket.write('SYNC\r\n');
    let header = '';
    await r.until((buf) => {
      const nl = buf.indexOf('\r\n');
      // Newlines may come first, as keepalives.
      header = nl < 0 ? '' : buf.latin1Slice(0, nl).replace(/^\n+/, '');
      const len = Number(header.slice(1));
      return header.startsWith('$') && buf.length >= nl + 2 + len;
    });
    const start = r.buffer.indexOf('\r\n') + 2;
    const len = Number(header.slice(1));
    r.take(start);
    const rdb = r.take(len);
    const payload = readPayload(master, rdb);
    expect(payload.keys).toEqual(['0:a', '0:h', '3:b']);
    expect(payload.aux.get('redis-ver')).toBe('7.0.15');
    expect(payload.aux.get('repl-id')).toMatch(/^[0-9a-f]{40}$/);
    const c = connect(master.port);
    await c.set('after-sync', 'yes');
    await r.until((buf) => buf.includes('after-sync'));
    expect(r.buffer.toString('latin1')).toContain('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$10\r\nafter-sync\r\n$3\r\nyes\r\n');
    // CLIENT LIST shows the replica with flag S; it does not count as a connected client.
    expect(await c.call('CLIENT', 'LIST', 'TYPE', 'replica')).toMatch(/flags=S /);
    const clients = await info(c, 'clients');
    expect(clients.connected_clients).toBe('1');
    expect(await c.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
    await r.until((buf) => r.closed || buf.length < 0);
    c.disconnect();
  });

  it('PSYNC with capa eof streams the RDB between EOF marks, and holds the stream until the first ACK', async () => {
    const c = connect(master.port);
    const r = await StreamReader.connect(master.port);
    expect(await r.ask(['REPLCONF', 'capa', 'eof', 'capa', 'psync2'])).toBe('+OK\r\n');
    r.send(['PSYNC', '?', '-1']);
    await r.until(() => /\$EOF:[0-9a-f]{40}\r\n/.test(r.text()));
    const m = /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)\r\n\$EOF:([0-9a-f]{40})\r\n/.exec(r.text())!;
    expect(m).not.toBeNull();
    const mark = m[3];
    r.take(m[0].length);
    await r.until((buf) => buf.includes(mark));
    const end = r.buffer.indexOf(mark);
    const rdb = r.take(end);
    r.take(40);
    expect(readPayload(master, rdb).keys).toEqual(['0:a', '0:after-sync', '0:h', '3:b']);
    expect(readPayload(master, rdb).aux.get('repl-offset')).toBe(m[2]);
    // Written after the snapshot: held until the replica acknowledges.
    await c.set('held', '1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.buffer.length).toBe(0);
    r.send(['REPLCONF', 'ACK', m[2]]);
    await r.until((buf) => buf.includes('held'));
    // The stream after a full sync starts with SELECT.
    expect(r.buffer.latin1Slice(0, 23)).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n');
    const offset = Number(m[2]) + r.buffer.length;
    expect((await info(c, 'replication')).master_repl_offset).toBe(String(offset));

    // The link drops; PSYNC from where it stopped continues with +CONTINUE and the missing bytes.
    r.close();
    await c.set('missed', '1');
    const again = await StreamReader.connect(master.port);
    expect(await again.ask(['REPLCONF', 'capa', 'psync2'])).toBe('+OK\r\n');
    again.send(['PSYNC', m[1], String(offset + 1)]);
    await again.until((buf) => buf.includes('missed'));
    expect(again.buffer.toString('latin1')).toBe(`+CONTINUE ${m[1]}\r\n*3\r\n$3\r\nset\r\n$6\r\nmissed\r\n$1\r\n1\r\n`);
    const stats = await info(c, 'stats');
    expect(Number(stats.sync_partial_ok)).toBeGreaterThanOrEqual(1);
    // An offset the backlog does not cover, or an unknown id: full resync.
    const far = await StreamReader.connect(master.port);
    far.send(['PSYNC', m[1], String(offset + 10_000)]);
    await far.until((buf) => buf.includes('+FULLRESYNC'));
    const wrong = await StreamReader.connect(master.port);
    wrong.send(['PSYNC', 'f'.repeat(40), '1']);
    await wrong.until((buf) => buf.includes('+FULLRESYNC'));
    expect(Number((await info(c, 'stats')).sync_partial_err)).toBeGreaterThanOrEqual(2);
    for (const s of [again, far, wrong]) s.close();
    c.disconnect();
  });

  it('REPLCONF rdb-only sends the RDB and closes; rdb-filter-only sends one without keys', async () => {
    const r = await StreamReader.connect(master.port);
    await r.ask(['REPLCONF', 'rdb-only', '1']);
    await r.ask(['REPLCONF', 'capa', 'eof']);
    r.send(['SYNC']);
    await r.until(() => r.closed);
    const mark = /\$EOF:([0-9a-f]{40})\r\n/.exec(r.text())![1];
    expect(r.buffer.toString('latin1', r.buffer.length - 40)).toBe(mark);
    const filtered = await StreamReader.connect(master.port);
    await filtered.ask(['REPLCONF', 'rdb-filter-only', '']);
    await filtered.ask(['REPLCONF', 'rdb-only', '1']);
    await filtered.ask(['REPLCONF', 'capa', 'eof']);
    filtered.send(['SYNC']);
    await filtered.until(() => filtered.closed);
    const body = filtered.buffer;
    const head = /\$EOF:([0-9a-f]{40})\r\n/.exec(filtered.text())!;
    const start = body.indexOf(head[0]) + head[0].length;
    expect(readPayload(master, body.subarray(start, body.length - 40)).keys).toEqual([]);
  });

  it.skipIf(!hasRedisCli)('redis-cli --rdb saves a file redis-check-rdb accepts', async () => {
    const dir = makeTempDir('redix-repl-rdb-');
    try {
      const file = join(dir, 'dump.rdb');
      const result = await runProcess('redis-cli', ['-p', String(master.port), '--rdb', file], { timeoutMs: 15_000 });
      expect(result.stderr + result.stdout).toContain('Transfer finished with success');
      const check = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
      expect(check.stdout).toContain('RDB looks OK!');
      const c = connect(master.port);
      const keys = Object.values(await info(c, 'keyspace')).reduce((n, v) => n + Number(/keys=(\d+)/.exec(v)![1]), 0);
      c.disconnect();
      expect(check.stdout).toContain(`[info] ${keys} keys read`);
    } finally {
      removeDir(dir);
    }
  });
});

describe('WAIT ended by a replica\'s ACK', () => {
  let master: RedixServer;

  beforeAll(async () => {
    master = await startRedix({ replDisklessSyncDelay: 0 } as never);
  });

  afterAll(async () => {
    await master.shutdown();
  });

  it('runs the commands queued behind the WAIT after the ACK, so the ACK is not streamed as a write', async () => {
    const r = await StreamReader.connect(master.port);
    expect(await r.ask(['REPLCONF', 'capa', 'eof', 'capa', 'psync2'])).toBe('+OK\r\n');
    r.send(['PSYNC', '?', '-1']);
    await r.until(() => /\$EOF:[0-9a-f]{40}\r\n/.test(r.text()));
    const m = /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)\r\n\$EOF:([0-9a-f]{40})\r\n/.exec(r.text())!;
    r.take(m[0].length);
    await r.until((buf) => buf.includes(m[3]));
    r.take(r.buffer.indexOf(m[3]) + 40);
    let offset = Number(m[2]);
    r.send(['REPLCONF', 'ACK', String(offset)]);

    const a = await RawConnection.connect(master.port);
    a.write(Buffer.concat([encodeCommand(['SET', 'waited', '1']), encodeCommand(['WAIT', '1', '0']), encodeCommand(['INCR', 'waited:counter'])]));
    expect(String((await a.readReplies(1))[0])).toBe('+OK\r\n');
    // WAIT asks for an ACK (REPLCONF GETACK) after the SET; the replica acknowledges all it got.
    await r.until((buf) => buf.includes('GETACK'));
    offset += r.buffer.length;
    r.take(r.buffer.length);
    r.send(['REPLCONF', 'ACK', String(offset)]);
    expect((await a.readReplies(2)).map(String)).toEqual([':1\r\n', ':1\r\n']);
    await r.until((buf) => buf.includes('waited:counter'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Only the INCR: the replica's own REPLCONF ACK, which ended the WAIT, is no write of its.
    expect(r.buffer.toString('latin1')).toBe('*2\r\n$4\r\nINCR\r\n$14\r\nwaited:counter\r\n');
    a.close();
    r.close();
  });
});
