/**
 * Connections from MIGRATE to its targets, kept for reuse as Redis keeps its migrate cached
 * sockets: one per host:port, closed after 10 seconds unused, at most 64. The exchange is
 * asynchronous (Redis writes and reads them synchronously, holding the server).
 */
import { connect, type Socket } from 'node:net';

const IDLE_MS = 10_000;
const MAX_LINKS = 64;

/** How an exchange failed: where (Redis's IOERR wording) and whether it was a timeout (no retry then). */
export interface LinkFailure {
  stage: 'connecting' | 'writing' | 'reading';
  timedOut: boolean;
  /** Reply lines read before the failure. */
  lines: string[];
}

export class MigrateLink {
  /** The database the target has selected on this connection (-1: unknown, send SELECT). */
  lastDbid = -1;
  busy = false;
  private buffered = '';
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly onGone: (link: MigrateLink) => void,
  ) {
    socket.setNoDelay(true);
    socket.unref(); // an embedded server's process may exit with links still cached
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  /** Writes `request`, then reads `lines` reply lines (each within `timeoutMs`). */
  exchange(request: Buffer, lines: number, timeoutMs: number): Promise<string[] | LinkFailure> {
    this.busy = true;
    this.stopIdleTimer();
    return new Promise((resolve) => {
      const got: string[] = [];
      let timer: NodeJS.Timeout | null = null;
      let done = false;
      const finish = (result: string[] | LinkFailure) => {
        if (done) return;
        done = true;
        if (timer !== null) clearTimeout(timer);
        this.socket.off('data', onData);
        this.socket.off('close', onClose);
        this.busy = false;
        this.startIdleTimer();
        resolve(result);
      };
      const armRead = () => {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => finish({ stage: 'reading', timedOut: true, lines: got }), timeoutMs);
      };
      const takeLines = () => {
        let nl: number;
        while (got.length < lines && (nl = this.buffered.indexOf('\n')) >= 0) {
          got.push(this.buffered.slice(0, nl).replace(/\r$/, ''));
          this.buffered = this.buffered.slice(nl + 1);
          armRead();
        }
        if (got.length === lines) finish(got);
      };
      const onData = (chunk: Buffer) => {
        this.buffered += chunk.latin1Slice(0, chunk.length);
        takeLines();
      };
      let written = false;
      const onClose = () => finish({ stage: written ? 'reading' : 'writing', timedOut: false, lines: got });
      this.socket.on('data', onData);
      this.socket.on('close', onClose);
      if (this.socket.destroyed) return onClose();
      timer = setTimeout(() => finish({ stage: 'writing', timedOut: true, lines: got }), timeoutMs);
      this.socket.write(request, (err) => {
        if (err) return finish({ stage: 'writing', timedOut: false, lines: got });
        written = true;
        armRead();
        takeLines();
      });
    });
  }

  close(): void {
    this.stopIdleTimer();
    if (!this.socket.destroyed) this.socket.destroy();
    this.onGone(this);
  }

  private startIdleTimer(): void {
    this.idleTimer = setTimeout(() => this.close(), IDLE_MS);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** The cached links of one server. */
export class MigrateLinks {
  private readonly links = new Map<string, MigrateLink>();

  /**
   * The cached link to host:port, or a new one (cached unless the cached one is in use by another
   * MIGRATE). A refused connection is a write failure, as Redis sees it (its connect succeeds, the
   * write fails); anything else failing or timing out is a connect failure.
   */
  get(host: string, port: number, timeoutMs: number): Promise<MigrateLink | LinkFailure> {
    const name = `${host}:${port}`;
    const cached = this.links.get(name);
    if (cached !== undefined && !cached.closed && !cached.busy) return Promise.resolve(cached);
    return new Promise((resolve) => {
      let socket: Socket;
      try {
        socket = connect({ host, port });
      } catch {
        resolve({ stage: 'connecting', timedOut: false, lines: [] });
        return;
      }
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ stage: 'connecting', timedOut: true, lines: [] });
      }, timeoutMs);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ stage: err.code === 'ECONNREFUSED' ? 'writing' : 'connecting', timedOut: false, lines: [] });
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        const link = new MigrateLink(socket, (gone) => {
          if (this.links.get(name) === gone) this.links.delete(name);
        });
        if (cached === undefined || cached.closed) {
          if (this.links.size >= MAX_LINKS) this.links.values().next().value?.close();
          this.links.set(name, link);
        }
        resolve(link);
      });
    });
  }

  /** Closes the cached link to host:port (after a socket error). */
  drop(host: string, port: number): void {
    this.links.get(`${host}:${port}`)?.close();
  }

  /** INFO migrate_cached_sockets. */
  get size(): number {
    return this.links.size;
  }

  closeAll(): void {
    for (const link of [...this.links.values()]) link.close();
  }
}
