import net, { type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Client, type ClientHost } from '../../src/network/client';

/**
 * Replies leave as views of the client's reply buffer (no copy per batch). A socket that queues a
 * view (the kernel took only part of it) owns it from then on: the next replies must go to other
 * memory, while a view the socket sent at once leaves the buffer free to be written again.
 */
class FakeSocket {
  readonly written: Buffer[] = [];
  /** Bytes the fake kernel did not take: as net.Socket's writableLength. */
  writableLength = 0;
  queueWrites = false;

  write(chunk: Buffer): boolean {
    this.written.push(chunk);
    if (this.queueWrites) this.writableLength += chunk.length;
    return true;
  }

  end(): void {}
}

function clientOn(socket: FakeSocket): Client {
  const host = {
    context: { keyspace: { databases: [{}] } },
    // No output buffer limit: these tests are about the reply buffer only.
    kernel: { outputLimits: { normal: { hard: 0, soft: 0, softSeconds: 0, lowest: 0 }, pubsub: { hard: 0, soft: 0, softSeconds: 0, lowest: 0 } } },
    stats: { totalNetInputBytes: 0, totalNetOutputBytes: 0, countError: () => undefined },
    dispatch: () => undefined,
    batchDone: (c: Client) => c.flush(),
    clientClosed: () => undefined,
  } as unknown as ClientHost;
  return new Client(host, 1, socket as unknown as Socket, { authenticated: true });
}

describe('client reply writes', () => {
  it('writes the next replies elsewhere while the socket still holds a view', () => {
    const socket = new FakeSocket();
    socket.queueWrites = true;
    const client = clientOn(socket);
    client.reply.bulk('first');
    client.flush();
    client.reply.bulk('other');
    client.flush();
    expect(socket.written.map(String)).toEqual(['$5\r\nfirst\r\n', '$5\r\nother\r\n']);
  });

  it('reuses the reply buffer once a write went out at once', () => {
    const socket = new FakeSocket();
    const client = clientOn(socket);
    client.reply.bulk('first');
    client.flush();
    client.reply.bulk('other');
    client.flush();
    expect(String(socket.written[1])).toBe('$5\r\nother\r\n');
    expect(socket.written[1].buffer).toBe(socket.written[0].buffer);
  });

  it('relies on what a real socket reports: nothing queued after a small write to a reading peer', async () => {
    const server = net.createServer();
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const peer = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const socket = await accepted;
    socket.write(Buffer.from('+OK\r\n'));
    expect(socket.writableLength).toBe(0);
    peer.destroy();
    socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
