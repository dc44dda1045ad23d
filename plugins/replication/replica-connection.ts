import type { CommandContext } from 'redix-server';
import type { OutputBufferLimit } from './output-buffer-limit';

/** INFO's names for a replica's state: waiting for / receiving the RDB, or streaming. */
export type ReplicaState = 'wait_bgsave' | 'send_bulk' | 'online';

/** What a replica told us with REPLCONF before SYNC/PSYNC. */
export class ReplicaSettings {
  listeningPort = 0;
  announcedIp = '';
  /** Understands the EOF-marked RDB transfer (diskless sync). */
  capaEof = false;
  /** Understands "+CONTINUE <new replid>". */
  capaPsync2 = false;
  /** Wants the RDB only, no stream after it (redis-cli --rdb): closed once the RDB is sent. */
  rdbOnly = false;
  /** REPLCONF rdb-filter-only: an RDB without keys. */
  excludeData = false;
}

/** What a replica connection needs of the service. */
export interface ReplicaHost {
  readonly outputLimit: OutputBufferLimit;
  /** Writes the replica's output at the end of this turn of the event loop. */
  scheduleFlush(replica: ReplicaConnection): void;
  flushNow(replica: ReplicaConnection): void;
  /** Closes a replica that broke its output buffer limit. */
  dropReplica(replica: ReplicaConnection, reason: string): void;
}

/** RDB bytes handed to the socket while its buffered output is under this. */
const BULK_HIGH_WATER = 1024 * 1024;
/** How often a replica whose socket is backed up is looked at again while sending the RDB. */
const BULK_RETRY_MS = 2;

/**
 * One replica connected to us, as its master: its REPLCONF settings, acknowledged offset, state,
 * and the stream bytes held for it while its RDB is on its way. Output goes through the client's
 * reply buffer (`reply.raw`) so it is written in order with anything else sent to it.
 */
export class ReplicaConnection {
  state: ReplicaState = 'wait_bgsave';
  /** Registered, but its full sync has not started: stream bytes are not for it yet. */
  awaitingSync = true;
  /** Before the RDB's header was written: a newline keeps the link alive without confusing it. */
  keepaliveAllowed = true;
  /** Streamed RDB sent: start the stream when its first REPLCONF ACK arrives (it must see the EOF mark alone). */
  startStreamOnAck = false;
  ackOffset = 0;
  /** Unix ms of the last REPLCONF ACK (INFO lag, timeouts, min-replicas). */
  ackTime = Date.now();
  dropped = false;
  private held: Buffer[] | null = null;
  private heldBytes = 0;
  private overSoftSince = 0;
  private bulk: Buffer[] = [];
  /** RDB bytes queued and not yet handed to the socket. */
  bulkBytes = 0;
  private pumpTimer: NodeJS.Timeout | null = null;
  private onBulkDrained: (() => void) | null = null;

  constructor(
    readonly client: CommandContext,
    readonly settings: ReplicaSettings,
    /** Came with SYNC: no +FULLRESYNC line, no ACKs expected (redis-cli --replica). */
    readonly prePsync: boolean,
    private readonly host: ReplicaHost,
  ) {}

  /** The address INFO and ROLE show: the announced one, else the connection's. */
  get ip(): string {
    if (this.settings.announcedIp !== '') return this.settings.announcedIp;
    const addr = this.client.address;
    const colon = addr.lastIndexOf(':');
    const ip = colon < 0 ? addr : addr.slice(0, colon);
    // "[::1]:port" for IPv6: INFO's slave0:ip= shows the bare address, as Redis does.
    return ip.startsWith('[') ? ip.slice(1, -1) : ip;
  }

  /** "ip:port" for log lines, as Redis names replicas. */
  get name(): string {
    return this.settings.listeningPort > 0 ? `${this.ip}:${this.settings.listeningPort}` : `${this.ip}:<unknown-replica-port>`;
  }

  /** True once the stream goes straight to the socket. */
  get streaming(): boolean {
    return !this.awaitingSync && this.held === null && !this.dropped;
  }

  /** Stream bytes (every replica gets every byte; they may only be held for later). */
  feed(data: Buffer): void {
    if (this.awaitingSync || this.dropped) return;
    if (this.held !== null) {
      this.held.push(data);
      this.heldBytes += data.length;
      this.checkLimit(this.heldBytes);
      return;
    }
    this.client.reply.raw(data);
    this.host.scheduleFlush(this);
    this.checkLimit(this.client.outputBytes);
  }

  /** From now on stream bytes are kept until `startStreaming` (the RDB goes first). */
  holdStream(): void {
    this.awaitingSync = false;
    this.held = [];
    this.heldBytes = 0;
  }

  /** Sends what was held, then streams directly. */
  startStreaming(): void {
    this.awaitingSync = false;
    this.startStreamOnAck = false;
    const held = this.held;
    this.held = null;
    this.heldBytes = 0;
    if (held !== null) for (const part of held) this.client.reply.raw(part);
    this.host.scheduleFlush(this);
  }

  /** Protocol bytes to send now, ahead of any held stream (+FULLRESYNC, RDB headers, newlines). */
  writeNow(data: Buffer | string): void {
    if (this.dropped) return;
    if (typeof data === 'string') this.client.reply.rawString(data);
    else this.client.reply.raw(data);
    this.host.scheduleFlush(this);
  }

  /** Queues RDB bytes; they reach the socket as it drains. `then` runs once all queued bytes are handed over. */
  queueBulk(chunk: Buffer, then?: () => void): void {
    if (this.dropped) return;
    if (chunk.length > 0) {
      this.bulk.push(chunk);
      this.bulkBytes += chunk.length;
    }
    if (then !== undefined) this.onBulkDrained = then;
    if (this.pumpTimer === null) this.pump();
  }

  private readonly pump = (): void => {
    this.pumpTimer = null;
    if (this.dropped) return;
    while (this.bulk.length > 0 && this.client.outputBytes < BULK_HIGH_WATER) {
      const chunk = this.bulk.shift()!;
      this.bulkBytes -= chunk.length;
      this.client.reply.raw(chunk);
      this.host.flushNow(this);
    }
    if (this.bulk.length > 0) {
      this.pumpTimer = setTimeout(this.pump, BULK_RETRY_MS);
      return;
    }
    const then = this.onBulkDrained;
    this.onBulkDrained = null;
    then?.();
  };

  /** Redis's client-output-buffer-limit for the replica class: hard at once, soft after its seconds. */
  private checkLimit(bytes: number): void {
    const limit = this.host.outputLimit;
    if (limit.hardBytes > 0 && bytes >= limit.hardBytes) {
      this.host.dropReplica(this, `output buffer of ${bytes} bytes reached the hard limit`);
      return;
    }
    if (limit.softBytes > 0 && bytes >= limit.softBytes) {
      const now = Date.now();
      if (this.overSoftSince === 0) this.overSoftSince = now;
      else if (now - this.overSoftSince > limit.softSeconds * 1000) {
        this.host.dropReplica(this, `output buffer of ${bytes} bytes stayed over the soft limit for ${limit.softSeconds} seconds`);
      }
    } else {
      this.overSoftSince = 0;
    }
  }

  /** Stops everything for this replica (its connection is closing). */
  release(): void {
    this.dropped = true;
    this.held = null;
    this.bulk = [];
    this.bulkBytes = 0;
    this.onBulkDrained = null;
    if (this.pumpTimer !== null) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
  }
}
