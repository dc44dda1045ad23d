import net from 'node:net';
import type { Logger } from 'redix-server';
import { MasterStreamParser, StreamProtocolError } from './master-stream-parser';
import { ackCommand, encodeCommand } from './stream-encoding';

/** ROLE's names for where the link is: connecting, handshake, sync (RDB transfer), connected. */
export type LinkState = 'connecting' | 'handshake' | 'sync' | 'connected' | 'closed';

/** The replica side of the replication, as the link calls it. */
export interface MasterLinkHost {
  readonly logger: Logger;
  /** The master we replicated before and where we stopped (PSYNC <replid> <offset+1>), or null ("PSYNC ? -1"). */
  psyncTarget(): { replid: string; offset: number } | null;
  /**
   * The RDB arrived: load it, at once or in slices (a promise). False if it could not be loaded
   * (the link then closes). Stream bytes arriving meanwhile are held and applied after it.
   */
  loadFullSync(link: MasterLink, replid: string, offset: number, rdb: Buffer[]): boolean | Promise<boolean>;
  /** +CONTINUE: the master resumes where we stopped; `replid` is its id if it told us. */
  continued(link: MasterLink, replid: string | null): void;
  /** The link is up: the RDB was loaded or the master continued (state is 'connected'). */
  linkUp(link: MasterLink): void;
  /** One command of the stream (applied, then re-streamed to our replicas). */
  applyCommand(link: MasterLink, argv: Buffer[], raw: Buffer): void;
  closed(link: MasterLink, wasConnected: boolean, reason: string): void;
}

export interface MasterLinkOptions {
  host: string;
  port: number;
  /** masteruser/masterauth: AUTH [user] password during the handshake. */
  auth: { user: string; password: string } | null;
  /** REPLCONF listening-port (replica-announce-port or our port). */
  listeningPort: number;
  /** REPLCONF ip-address (replica-announce-ip), if set. */
  announceIp: string;
  /** bind-source-addr: the local address to connect from, or '' for the system's choice. */
  sourceAddress: string;
}

type HandshakeStep = 'pong' | 'auth' | 'port' | 'ip' | 'capa' | 'psync' | 'bulk-header';

const EMPTY = Buffer.alloc(0);
const MARK_LENGTH = 40;

/**
 * One connection to our master, as Redis's replica drives it: PING, AUTH, REPLCONF listening-port,
 * [ip-address], capa eof psync2, then PSYNC with the cached replid/offset. A full resync receives the
 * RDB (length-prefixed, or streamed up to an EOF mark) and hands it over for loading; then, as after
 * +CONTINUE, each command of the stream is applied. The service reconnects when the link closes.
 */
export class MasterLink {
  state: LinkState = 'connecting';
  /** Unix ms of the last byte received (timeouts, INFO master_last_io_seconds_ago). */
  lastIo = Date.now();
  /** RDB transfer progress for INFO: size (0 when streamed with an EOF mark) and bytes read. */
  transferSize = -1;
  transferRead = 0;
  /** The master answered PSYNC with an error and we fell back to SYNC: it expects no ACKs. */
  prePsyncMaster = false;
  /** The received RDB is being loaded: what the master sends meanwhile waits in `held`. */
  loadingRdb = false;
  private held: Buffer[] = [];
  private readonly socket: net.Socket;
  private step: HandshakeStep = 'pong';
  private pending: Buffer = EMPTY;
  private fullResync: { replid: string; offset: number } | null = null;
  private eofMark: Buffer | null = null;
  private rdb: Buffer[] = [];
  private rdbBytes = 0;
  /** Last bytes of the RDB so far, where an EOF mark split across reads begins. */
  private tail: Buffer = EMPTY;
  private readonly parser = new MasterStreamParser();

  constructor(
    private readonly host: MasterLinkHost,
    readonly options: MasterLinkOptions,
  ) {
    this.socket = net.connect({ host: options.host, port: options.port, ...(options.sourceAddress === '' ? {} : { localAddress: options.sourceAddress }) });
    this.socket.setNoDelay(true);
    this.socket.on('connect', this.onConnect);
    this.socket.on('data', this.onData);
    this.socket.on('error', (e) => this.close(`Error condition on socket for SYNC: ${e.message}`));
    this.socket.on('close', () => this.close('connection lost'));
  }

  /** Bytes received from the master and not yet applied (slave_read_repl_offset counts them). */
  get unappliedBytes(): number {
    return this.parser.pendingBytes;
  }

  /** True once the RDB was loaded or +CONTINUE received. */
  get connected(): boolean {
    return this.state === 'connected';
  }

  /** A newline while the RDB loads, as Redis's replica sends: the master sees the link alive. */
  sendNewline(): void {
    if (this.state === 'closed') return;
    this.socket.write('\n');
  }

  /** REPLCONF ACK <offset>: every second, after a streamed RDB, and on REPLCONF GETACK. */
  sendAck(offset: number): void {
    if (this.state === 'closed') return;
    this.socket.write(ackCommand(offset));
  }

  close(reason: string): void {
    if (this.state === 'closed') return;
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    this.parser.stop();
    this.rdb = [];
    this.held = [];
    this.pending = EMPTY;
    this.socket.destroy();
    this.host.closed(this, wasConnected, reason);
  }

  private send(args: string[]): void {
    this.socket.write(encodeCommand(args));
  }

  private readonly onConnect = (): void => {
    if (this.state === 'closed') return;
    this.host.logger.notice('Non blocking connect for SYNC fired the event.');
    this.state = 'handshake';
    this.step = 'pong';
    this.lastIo = Date.now();
    this.send(['PING']);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.state === 'closed') return;
    this.lastIo = Date.now();
    try {
      if (this.loadingRdb) this.held.push(chunk);
      else if (this.state === 'connected') this.parser.feed(chunk, this.applyCommand);
      else if (this.state === 'sync') this.receiveRdb(chunk);
      else if (this.state === 'handshake') {
        this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
        this.readHandshake();
      }
    } catch (e) {
      this.fail(e);
    }
  };

  private fail(e: unknown): void {
    if (e instanceof StreamProtocolError) this.close(`protocol error in the master's stream: ${e.message}`);
    else {
      this.host.logger.warning(`Replication link failed: ${(e as Error).stack ?? String(e)}`);
      this.close(`internal error: ${(e as Error).message}`);
    }
  }

  private readonly applyCommand = (argv: Buffer[], raw: Buffer): void => {
    this.host.applyCommand(this, argv, raw);
  };

  /** Handshake replies are lines; a reply may be followed, in the same read, by the RDB. */
  private readHandshake(): void {
    while (this.state === 'handshake') {
      const nl = this.pending.indexOf(10);
      if (nl < 0) return;
      const end = nl > 0 && this.pending[nl - 1] === 13 ? nl - 1 : nl;
      const line = this.pending.latin1Slice(0, end);
      this.pending = this.pending.subarray(nl + 1);
      this.onLine(line);
    }
    const rest = this.pending;
    this.pending = EMPTY;
    if (rest.length === 0) return;
    if (this.loadingRdb) this.held.push(rest);
    else if (this.state === 'sync') this.receiveRdb(rest);
    else if (this.state === 'connected') this.parser.feed(rest, this.applyCommand);
  }

  private onLine(line: string): void {
    const opts = this.options;
    switch (this.step) {
      case 'pong':
        // Like Redis: +PONG, or an authentication error that AUTH will fix, lets the handshake go on.
        if (line[0] !== '+' && !line.startsWith('-NOAUTH') && !line.startsWith('-NOPERM') && !line.startsWith('-ERR operation not permitted')) {
          this.close(`Error reply to PING from master: '${line}'`);
          return;
        }
        this.host.logger.notice('Master replied to PING, replication can continue...');
        if (opts.auth !== null) {
          this.send(opts.auth.user !== '' ? ['AUTH', opts.auth.user, opts.auth.password] : ['AUTH', opts.auth.password]);
        }
        this.send(['REPLCONF', 'listening-port', String(opts.listeningPort)]);
        if (opts.announceIp !== '') this.send(['REPLCONF', 'ip-address', opts.announceIp]);
        this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
        this.step = opts.auth !== null ? 'auth' : 'port';
        return;
      case 'auth':
        if (line[0] === '-') {
          this.close(`Unable to AUTH to MASTER: ${line}`);
          return;
        }
        this.step = 'port';
        return;
      case 'port':
        if (line[0] === '-') this.host.logger.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
        this.step = opts.announceIp !== '' ? 'ip' : 'capa';
        return;
      case 'ip':
        if (line[0] === '-') this.host.logger.notice(`(Non critical) Master does not understand REPLCONF ip-address: ${line}`);
        this.step = 'capa';
        return;
      case 'capa': {
        if (line[0] === '-') this.host.logger.notice(`(Non critical) Master does not understand REPLCONF capa: ${line}`);
        const target = this.host.psyncTarget();
        if (target === null) {
          this.host.logger.notice('Partial resynchronization not possible (no cached master)');
          this.send(['PSYNC', '?', '-1']);
        } else {
          this.host.logger.notice(`Trying a partial resynchronization (request ${target.replid}:${target.offset + 1}).`);
          this.send(['PSYNC', target.replid, String(target.offset + 1)]);
        }
        this.step = 'psync';
        return;
      }
      case 'psync':
        this.onPsyncReply(line);
        return;
      case 'bulk-header':
        this.onBulkHeader(line);
        return;
    }
  }

  private onPsyncReply(line: string): void {
    // The master may send newlines to keep the link alive before it answers.
    if (line === '') return;
    if (line.startsWith('+FULLRESYNC')) {
      const parts = line.split(' ');
      if (parts.length < 3 || parts[1].length !== 40) {
        this.close('Master replied with wrong +FULLRESYNC syntax.');
        return;
      }
      this.fullResync = { replid: parts[1], offset: Number(parts[2]) };
      this.host.logger.notice(`Full resync from master: ${parts[1]}:${parts[2]}`);
      this.step = 'bulk-header';
      return;
    }
    if (line.startsWith('+CONTINUE')) {
      const id = line.slice(10).trim();
      this.host.logger.notice('Successful partial resynchronization with master.');
      this.state = 'connected';
      this.host.continued(this, id.length === 40 ? id : null);
      this.host.linkUp(this);
      return;
    }
    if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
      this.close(`Master is currently unable to PSYNC but should be in the future: ${line}`);
      return;
    }
    // An old master without PSYNC: fall back to SYNC (no offsets, no ACKs).
    this.host.logger.notice(`Master does not support PSYNC or is in error state (reply: ${line}); retrying with SYNC...`);
    this.prePsyncMaster = true;
    this.fullResync = { replid: '?', offset: -1 };
    this.socket.write('SYNC\r\n');
    this.step = 'bulk-header';
  }

  private onBulkHeader(line: string): void {
    if (line === '') return;
    if (line[0] === '-') {
      this.close(`MASTER aborted replication with an error: ${line.slice(1)}`);
      return;
    }
    if (line[0] !== '$') {
      this.close(`Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`);
      return;
    }
    if (line.startsWith('$EOF:') && line.length >= 5 + MARK_LENGTH) {
      this.eofMark = Buffer.from(line.slice(5, 5 + MARK_LENGTH), 'latin1');
      this.transferSize = 0;
      this.host.logger.notice('MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk');
    } else {
      const size = Number(line.slice(1));
      if (!Number.isSafeInteger(size) || size < 0) {
        this.close(`Bad bulk length from MASTER: '${line}'`);
        return;
      }
      this.transferSize = size;
      this.host.logger.notice(`MASTER <-> REPLICA sync: receiving ${size} bytes from master to disk`);
    }
    this.transferRead = 0;
    this.state = 'sync';
    if (this.transferSize === 0 && this.eofMark === null) this.finishTransfer(EMPTY);
  }

  private receiveRdb(chunk: Buffer): void {
    this.transferRead += chunk.length;
    const mark = this.eofMark;
    if (mark !== null) {
      const window = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
      const at = window.indexOf(mark);
      if (at < 0) {
        this.keepRdb(chunk);
        this.tail = Buffer.from(window.subarray(Math.max(0, window.length - (MARK_LENGTH - 1))));
        return;
      }
      // The mark may begin in bytes kept from the previous read: take those back off the RDB.
      const endInChunk = at - this.tail.length;
      if (endInChunk >= 0) this.keepRdb(chunk.subarray(0, endInChunk));
      else this.dropRdbTail(-endInChunk);
      this.finishTransfer(chunk.subarray(endInChunk + MARK_LENGTH));
      return;
    }
    const missing = this.transferSize - this.rdbBytes;
    if (chunk.length < missing) {
      this.keepRdb(chunk);
      return;
    }
    this.keepRdb(chunk.subarray(0, missing));
    this.finishTransfer(chunk.subarray(missing));
  }

  private keepRdb(part: Buffer): void {
    if (part.length === 0) return;
    this.rdb.push(part);
    this.rdbBytes += part.length;
  }

  private dropRdbTail(count: number): void {
    while (count > 0 && this.rdb.length > 0) {
      const last = this.rdb[this.rdb.length - 1];
      if (last.length <= count) {
        this.rdb.pop();
        this.rdbBytes -= last.length;
        count -= last.length;
      } else {
        this.rdb[this.rdb.length - 1] = last.subarray(0, last.length - count);
        this.rdbBytes -= count;
        count = 0;
      }
    }
  }

  private finishTransfer(rest: Buffer): void {
    const { replid, offset } = this.fullResync!;
    const rdb = this.rdb;
    this.rdb = [];
    this.tail = EMPTY;
    const streamed = this.eofMark !== null;
    this.host.logger.notice(`MASTER <-> REPLICA sync: Loading DB in memory (${this.rdbBytes} bytes)`);
    this.loadingRdb = true;
    if (rest.length > 0) this.held.push(rest);
    const loaded = this.host.loadFullSync(this, replid, offset, rdb);
    if (typeof loaded === 'boolean') this.rdbLoaded(loaded, streamed, offset);
    else {
      loaded.then((ok) => this.rdbLoaded(ok, streamed, offset), (e: unknown) => {
        this.loadingRdb = false;
        this.fail(e);
      });
    }
  }

  private rdbLoaded(ok: boolean, streamed: boolean, offset: number): void {
    this.loadingRdb = false;
    if (this.state === 'closed') return;
    // A long load is no silence of the master's.
    this.lastIo = Date.now();
    if (!ok) {
      this.close('the RDB received from the master could not be loaded');
      return;
    }
    this.state = 'connected';
    this.host.linkUp(this);
    this.host.logger.notice('MASTER <-> REPLICA sync: Finished with success');
    // After a streamed RDB the master waits for this ACK before it sends the stream.
    if (streamed && !this.prePsyncMaster) this.sendAck(offset);
    const held = this.held;
    this.held = [];
    try {
      for (const chunk of held) this.parser.feed(chunk, this.applyCommand);
    } catch (e) {
      this.fail(e);
    }
  }
}
