import net from 'node:net';
import { replyEnd } from './resp-reader';

/** Encodes a command as a RESP multibulk request. */
export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * A raw TCP connection for byte-exact tests: send bytes, read back exactly N complete replies.
 */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Bytes received and not yet taken by a read. */
  get unreadBytes(): number {
    return this.buffer.length;
  }

  /** Stops reading from the socket (the server's replies back up), until resumeReading(). */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Sends one command and returns its raw reply. */
  async command(args: (string | Buffer)[], timeoutMs = 10_000): Promise<Buffer> {
    this.write(encodeCommand(args));
    return (await this.readReplies(1, timeoutMs))[0];
  }

  /** Waits for `count` complete replies and returns them (raw bytes each). */
  async readReplies(count: number, timeoutMs = 10_000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    const replies: Buffer[] = [];
    while (replies.length < count) {
      const end = this.buffer.length === 0 ? -1 : replyEnd(this.buffer);
      if (end >= 0) {
        replies.push(this.buffer.subarray(0, end));
        this.buffer = this.buffer.subarray(end);
        continue;
      }
      if (this.closed) throw new Error(`connection closed after ${replies.length} of ${count} replies`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${replies.length} of ${count} replies; buffered: ${JSON.stringify(this.buffer.latin1Slice(0, 200))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return replies;
  }

  /** Resolves when the server closes the connection. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Bytes received and not yet consumed. */
  get pending(): Buffer {
    return this.buffer;
  }

  close(): void {
    this.socket.destroy();
  }
}
