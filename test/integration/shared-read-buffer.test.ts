import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedReadsAvailable, startReading } from '../../src/network/shared-read-buffer';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { makeTempDir, removeDir, startRedixProcess, waitFor } from './replication-test-support';

/**
 * Every connection reads into one shared buffer (src/network/shared-read-buffer.ts): whatever a
 * client's partial frame or blocked queue keeps must survive another client's reads overwriting
 * that buffer. Each case sends a prefix on one connection, waits until the server has read it,
 * floods the buffer from a second connection, then sends the rest. The same cases run against a
 * process started with REDIX_STREAM_READS=1, the 'data'-event reading kept as the fallback.
 */

interface Running {
  port: number;
  stop(): Promise<void>;
}

async function inProcess(): Promise<Running> {
  const server = await startRedix();
  return { port: server.port, stop: () => server.shutdown() };
}

/** The production build, reading connections through stream 'data' events. */
async function streamReadsProcess(): Promise<Running> {
  const dir = makeTempDir('redix-stream-reads-');
  const proc = await startRedixProcess(dir, [], undefined, { ...process.env, REDIX_STREAM_READS: '1' });
  // The fallback is really the one in use (and says so).
  await waitFor(() => proc.output().includes("read through stream 'data' events"), 5000, 'the fallback notice');
  return {
    port: proc.port,
    async stop() {
      await proc.kill();
      removeDir(dir);
    },
  };
}

/** More than one read's worth (64 KB) of SETs whose bytes differ from everything A sends. */
const FLOOD = Buffer.concat([
  encodeCommand(['SET', 'flood:1', 'Z'.repeat(40_000)]),
  encodeCommand(['SET', 'flood:2', 'Y'.repeat(40_000)]),
]);

function pattern(length: number, seed: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(97 + ((i * 7 + seed) % 26));
  return s;
}

describe.each([
  { reads: 'the shared read buffer', start: inProcess },
  { reads: "stream 'data' events (REDIX_STREAM_READS=1)", start: streamReadsProcess },
])('connections read through $reads', ({ start }) => {
  let server: Running;
  let a: RawConnection;
  let b: RawConnection;

  beforeAll(async () => {
    server = await start();
    a = await RawConnection.connect(server.port);
    b = await RawConnection.connect(server.port);
  });

  afterAll(async () => {
    a.close();
    b.close();
    await server.stop();
  });

  /** Resolves once the server has read `bytes` more input than `before` (INFO total_net_input_bytes). */
  async function inputRead(): Promise<number> {
    const info = (await b.command(['INFO', 'stats'])).toString('latin1');
    return Number(/total_net_input_bytes:(\d+)/.exec(info)![1]);
  }

  async function untilServerRead(before: number, bytes: number): Promise<void> {
    const infoRequest = encodeCommand(['INFO', 'stats']).length;
    for (let polls = 1; polls < 500; polls++) {
      if ((await inputRead()) >= before + bytes + polls * infoRequest) return;
    }
    throw new Error('the server did not read the prefix');
  }

  /** Sends `request` on A in two writes split at `at`, flooding the buffer from B in between. */
  async function sendSplit(request: Buffer, at: number): Promise<void> {
    const before = await inputRead();
    a.write(request.subarray(0, at));
    await untilServerRead(before, at);
    b.write(FLOOD);
    expect((await b.readReplies(2)).map(String)).toEqual(['+OK\r\n', '+OK\r\n']);
    a.write(request.subarray(at));
  }

  it('keeps a partial multibulk at every split point of a SET', async () => {
    const value = pattern(50, 1);
    const request = encodeCommand(['SET', 'split:key', value]);
    for (let at = 1; at < request.length; at++) {
      await b.command(['DEL', 'split:key']);
      await sendSplit(request, at);
      expect(String((await a.readReplies(1))[0])).toBe('+OK\r\n');
      expect(String(await a.command(['GET', 'split:key']))).toBe(`$${value.length}\r\n${value}\r\n`);
    }
  });

  it('keeps a large bulk gathered over several reads', async () => {
    const value = pattern(200_000, 2);
    const request = encodeCommand(['SET', 'big:key', value]);
    // Inside the header, just after it, in the middle, and one byte before the end.
    for (const at of [10, 30, 100_000, request.length - 1]) {
      await b.command(['DEL', 'big:key']);
      await sendSplit(request, at);
      expect(String((await a.readReplies(1))[0])).toBe('+OK\r\n');
      const reply = await a.command(['GET', 'big:key']);
      expect(reply.latin1Slice(0, reply.length)).toBe(`$${value.length}\r\n${value}\r\n`);
    }
  });

  it('keeps a partial inline command', async () => {
    const request = Buffer.from('SET inline:key hello-inline\r\n');
    await sendSplit(request, 12);
    expect(String((await a.readReplies(1))[0])).toBe('+OK\r\n');
    expect(String(await a.command(['GET', 'inline:key']))).toBe('$12\r\nhello-inline\r\n');
  });

  it('keeps the tail of a pipeline after its complete commands ran', async () => {
    const values = [pattern(30, 3), pattern(31, 4), pattern(32, 5)];
    const request = Buffer.concat(values.map((v, i) => encodeCommand(['SET', `pipe:${i}`, v])));
    await sendSplit(request, request.length - 7);
    expect((await a.readReplies(3)).map(String)).toEqual(['+OK\r\n', '+OK\r\n', '+OK\r\n']);
    expect(String(await a.command(['MGET', 'pipe:0', 'pipe:1', 'pipe:2']))).toBe(
      `*3\r\n${values.map((v) => `$${v.length}\r\n${v}\r\n`).join('')}`,
    );
  });

  it('keeps the commands a blocked client queued', async () => {
    const value = pattern(40, 6);
    // WAIT blocks (no replicas) for 300 ms; the SET and GET behind it wait in the client's queue.
    a.write(Buffer.concat([encodeCommand(['WAIT', '1', '300']), encodeCommand(['SET', 'queued:key', value]), encodeCommand(['GET', 'queued:key'])]));
    b.write(FLOOD);
    expect((await b.readReplies(2)).map(String)).toEqual(['+OK\r\n', '+OK\r\n']);
    expect((await a.readReplies(3)).map(String)).toEqual([':0\r\n', '+OK\r\n', `$${value.length}\r\n${value}\r\n`]);
  });
});

describe('startReading', () => {
  it('uses the shared buffer on this Node version', () => {
    expect(sharedReadsAvailable()).toBe(true);
  });

  it('reads an accepted socket through the shared buffer, or through data events when asked', async () => {
    const used: boolean[] = [];
    const received: string[] = [];
    const server = net.createServer({ pauseOnConnect: true }, (socket) => {
      used.push(startReading(socket, (chunk) => received.push(chunk.toString('latin1'))));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    client.write('hello');
    for (let i = 0; i < 200 && received.join('') !== 'hello'; i++) await new Promise((r) => setTimeout(r, 5));
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(used).toEqual([true]);
    expect(received.join('')).toBe('hello');
  });
});
