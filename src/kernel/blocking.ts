import type { CommandContext } from '../commands/command-context';
import type { Database } from '../keyspace/database';
import { DeadlineHeap, type HeapEntry } from './deadline-heap';

/**
 * How a blocked client ends, as the plugin that blocked it decides. `timeout` replies as the
 * command does when its timeout passes (also for CLIENT UNBLOCK ... TIMEOUT); `ended`, if given,
 * runs however the block ends (served, timed out, CLIENT UNBLOCK, connection closed).
 */
export interface BlockHandler {
  timeout(c: CommandContext): void;
  ended?(c: CommandContext): void;
}

/**
 * A client blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK ...). When one of its keys changes, the
 * kernel calls `serve` in FIFO order of the clients blocked on that key; `serve` checks whether it
 * can be served now (a list has elements, a stream has entries past the ID), and if so replies,
 * makes its writes (calling `ctx.propagateAs` with the non-blocking form, as BLPOP → LPOP, or
 * `ctx.preventPropagation` + `ctx.alsoPropagate`, as XREADGROUP → XCLAIM) and returns true. false
 * keeps the client waiting. A serve that replies an error counts as a failed call of the command.
 */
export interface KeysBlockHandler extends BlockHandler {
  serve(c: CommandContext, key: string): boolean;
}

/** What the blocking service needs of a connection. */
export interface BlockableClient extends CommandContext {
  blockState: BlockState | null;
  /** Stops running the client's commands (they queue) until release. */
  hold(): void;
  /** Runs the queued commands in the next turn and writes the replies. */
  release(): void;
}

/** One blocked client. */
export class BlockState implements HeapEntry {
  heapIndex = -1;
  /** Microseconds the blocking command's first call took (SLOWLOG logs it when the block ends). */
  callDurationUs = -1;
  /** Ended by an error reply (CLIENT UNBLOCK ... ERROR): a failed call of the blocking command. */
  failed = false;
  constructor(
    readonly client: BlockableClient,
    readonly handler: BlockHandler,
    /** Unix ms; 0: no timeout. */
    readonly deadline: number,
    readonly seq: number,
    /** The keys and database blocked on, or null for a custom block (WAIT). */
    readonly keys: readonly string[] | null,
    readonly dbIndex: number,
    /** The blocking command as it was sent (copied): propagated if a serve changed data without propagateAs. */
    readonly argv: readonly Buffer[],
  ) {}
}

/** Runs a serve callback as a command of the served client (statistics, propagation). */
export type ServeRunner = (c: BlockableClient, argv: readonly Buffer[], serve: () => boolean) => boolean;

/**
 * Blocked clients: per database, the clients blocked on each key in the order they blocked; the
 * keys made ready by writes; one timer for the earliest deadline. Redis's blocked.c
 * (handleClientsBlockedOnKeys) semantics: after the command that changed a key, before any other
 * command runs, the clients blocked on it are offered it in FIFO order, and clients served by the
 * writes of served clients (BLMOVE onto another blocked key) are served in the same pass.
 */
export class BlockingService {
  private readonly byDb: Map<string, Set<BlockState>>[];
  private ready = new Map<Database, Set<string>>();
  private readonly timeouts = new DeadlineHeap<BlockState>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private seq = 0;
  private serveScheduled = false;
  /** Clients blocked now, of every kind (INFO blocked_clients). */
  blockedClients = 0;
  /** Clients blocked on keys (while non-zero, writes signal keys). */
  keyBlockedClients = 0;
  /** Set by the server: runs serves as commands of the served client. */
  runServe: ServeRunner | null = null;
  /** Set by the server: key signals are needed or not. */
  onKeyInterestChanged: (() => void) | null = null;
  /** Set by the server: told when a block ends, however (SLOWLOG logs blocking commands then). */
  onEnded: ((state: BlockState) => void) | null = null;
  /** Set by the server: true while a command is being dispatched (ready keys are served after it). */
  inCommand: () => boolean = () => false;

  constructor(databases: number) {
    this.byDb = [];
    for (let i = 0; i < databases; i++) this.byDb.push(new Map());
  }

  /** Clients waiting with a timeout (INFO clients_in_timeout_table). */
  get withTimeout(): number {
    return this.timeouts.size;
  }

  get hasReadyKeys(): boolean {
    return this.ready.size !== 0;
  }

  block(client: BlockableClient, handler: BlockHandler, deadline: number, keys: readonly string[] | null, argv: readonly Buffer[]): void {
    if (client.blockState !== null) throw new Error('client is already blocked');
    const state = new BlockState(client, handler, deadline, this.seq++, keys, client.dbIndex, argv.map((a) => Buffer.from(a)));
    client.blockState = state;
    this.blockedClients++;
    if (keys !== null) {
      const perKey = this.byDb[client.dbIndex];
      for (const key of keys) {
        let waiting = perKey.get(key);
        if (waiting === undefined) perKey.set(key, (waiting = new Set()));
        waiting.add(state);
      }
      if (this.keyBlockedClients++ === 0) this.onKeyInterestChanged?.();
    }
    if (deadline > 0) {
      this.timeouts.push(state);
      this.armTimer();
    }
    client.hold();
  }

  /** Ends a client's block, whatever it was; false if it was not blocked. */
  unblock(client: BlockableClient): boolean {
    const state = client.blockState;
    if (state === null) return false;
    this.forget(state);
    this.onEnded?.(state);
    try {
      state.handler.ended?.(client);
    } finally {
      client.release();
    }
    return true;
  }

  /** The connection closed: drop its block without replying. */
  clientGone(client: BlockableClient): void {
    const state = client.blockState;
    if (state === null) return;
    this.forget(state);
    state.handler.ended?.(client);
  }

  /** CLIENT UNBLOCK: the timeout reply, or the UNBLOCKED error. */
  unblockWith(client: BlockableClient, mode: 'timeout' | 'error'): boolean {
    const state = client.blockState;
    if (state === null) return false;
    if (mode === 'error') {
      client.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
      state.failed = true;
    } else state.handler.timeout(client);
    this.unblock(client);
    return true;
  }

  /** A key changed: its blocked clients are offered it after the current command. */
  signal(db: Database, key: string): void {
    const waiting = this.byDb[db.index].get(key);
    if (waiting === undefined) return;
    let keys = this.ready.get(db);
    if (keys === undefined) this.ready.set(db, (keys = new Set()));
    keys.add(key);
    if (!this.inCommand() && !this.serveScheduled) {
      // Changed outside a command (a timer, a plugin's own event): serve before the loop sleeps.
      this.serveScheduled = true;
      setImmediate(() => {
        this.serveScheduled = false;
        this.serveReadyKeys();
      });
    }
  }

  /** Every key with blocked clients in `db` is offered again (SWAPDB). */
  signalAll(db: Database): void {
    for (const key of this.byDb[db.index].keys()) this.signal(db, key);
  }

  /** Serves the clients blocked on ready keys, until no key is ready. */
  serveReadyKeys(): void {
    while (this.ready.size !== 0) {
      const batch = this.ready;
      this.ready = new Map();
      for (const [db, keys] of batch) {
        for (const key of keys) this.serveKey(db, key);
      }
    }
  }

  private serveKey(db: Database, key: string): void {
    const waiting = this.byDb[db.index].get(key);
    if (waiting === undefined) return;
    // A Set iterates in insertion order and skips entries deleted meanwhile: FIFO, and a client
    // served (so removed) while we walk is not offered the key twice.
    for (const state of waiting) {
      const client = state.client;
      const handler = state.handler as KeysBlockHandler;
      const served = this.runServe === null ? handler.serve(client, key) : this.runServe(client, state.argv, () => handler.serve(client, key));
      if (served && client.blockState === state) this.unblock(client);
    }
  }

  private forget(state: BlockState): void {
    state.client.blockState = null;
    this.blockedClients--;
    if (state.keys !== null) {
      const perKey = this.byDb[state.dbIndex];
      for (const key of state.keys) {
        const waiting = perKey.get(key);
        if (waiting === undefined) continue;
        waiting.delete(state);
        if (waiting.size === 0) perKey.delete(key);
      }
      if (--this.keyBlockedClients === 0) this.onKeyInterestChanged?.();
    }
    if (state.heapIndex >= 0) {
      this.timeouts.remove(state);
      if (this.timeouts.size === 0) this.clearTimer();
    }
  }

  private armTimer(): void {
    const next = this.timeouts.peek();
    if (next === undefined) return;
    if (this.timer !== null && this.timerAt <= next.deadline) return;
    this.clearTimer();
    this.timerAt = next.deadline;
    this.timer = setTimeout(this.expire, Math.max(0, next.deadline - Date.now()));
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The timer fired: every client whose deadline passed gets its timeout reply. */
  private readonly expire = (): void => {
    this.timer = null;
    const now = Date.now();
    for (let next = this.timeouts.peek(); next !== undefined && next.deadline <= now; next = this.timeouts.peek()) {
      this.timeouts.remove(next);
      const client = next.client;
      if (client.blockState !== next) continue;
      next.handler.timeout(client);
      this.unblock(client);
    }
    this.armTimer();
  };

  /** Stops the timer (shutdown). */
  stop(): void {
    this.clearTimer();
  }
}
