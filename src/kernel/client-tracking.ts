import type { Database } from '../keyspace/database';
import type { KeyChangeListener } from './key-signals';

/** A connection's tracking state (CLIENT TRACKING), null fields when off. */
export interface TrackingState {
  /** 0: invalidations go to the client itself; else the id of the client they go to. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING given for the next command. */
  caching: boolean;
  /** The redirect target is gone (CLIENT LIST flag R, TRACKINGINFO broken_redirect). */
  brokenRedirect: boolean;
  /** BCAST prefixes, in the order given. */
  prefixes: string[];
}

/** What tracking needs of a connection. */
export interface TrackingClient {
  readonly id: number;
  readonly protocol: number;
  tracking: TrackingState | null;
  readonly subscribed: boolean;
  /** Appends a push frame (sent even with CLIENT REPLY OFF) and schedules the write. */
  deliver(frame: Buffer): void;
}

interface PrefixState {
  /** Keys changed this turn under the prefix, with the client that changed each (NOLOOP). */
  keys: Map<string, TrackingClient | null>;
  clients: Set<TrackingClient>;
}

const INVALIDATE = Buffer.from('$10\r\ninvalidate\r\n');
const CHANNEL = Buffer.from('$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n');

function keysArray(keys: readonly string[]): Buffer {
  let out = `*${keys.length}\r\n`;
  for (const k of keys) out += `$${k.length}\r\n${k}\r\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Server-assisted client-side caching (Redis's tracking.c): the keys each tracking client read,
 * across all databases as in Redis; a changed key is invalidated for its readers once, and in BCAST
 * mode every change under a prefix is broadcast at the end of the event-loop turn. Messages go as
 * RESP3 `invalidate` pushes, or to a redirect client (as Pub/Sub messages on __redis__:invalidate
 * when it speaks RESP2). The client running the command that changed a key gets its own
 * invalidation after the command's reply.
 */
export class ClientTracking implements KeyChangeListener {
  private readonly table = new Map<string, Set<number>>();
  private readonly prefixes = new Map<string, PrefixState>();
  /** Clients with tracking on (INFO tracking_clients). */
  trackingClients = 0;
  /** Ids stored in the table across keys (INFO tracking_total_items). */
  totalItems = 0;
  /** The client whose command runs now (its own invalidations wait for its reply), or null. */
  current: TrackingClient | null = null;
  private pending: (string | null)[] = [];
  private broadcastScheduled = false;
  /** tracking-table-max-keys (0: no limit). */
  maxKeys = 0;
  private limitEffort = 0;

  constructor(private readonly clients: ReadonlyMap<number, TrackingClient>, private readonly onInterestChanged: () => void) {}

  /** Key signals are wanted: a client tracks, or the table still holds keys a flush must drop (Redis keeps them when tracking goes off). */
  get active(): boolean {
    return this.trackingClients > 0 || this.table.size > 0;
  }

  /** INFO tracking_total_keys / tracking_total_prefixes. */
  get totalKeys(): number {
    return this.table.size;
  }

  get totalPrefixes(): number {
    return this.prefixes.size;
  }

  enable(c: TrackingClient, state: Omit<TrackingState, 'caching' | 'brokenRedirect' | 'prefixes'>, prefixes: readonly string[]): void {
    const previous = c.tracking;
    if (previous === null) {
      if (this.trackingClients++ === 0) this.onInterestChanged();
    }
    const keptPrefixes = previous?.prefixes ?? [];
    c.tracking = { ...state, caching: previous?.caching ?? false, brokenRedirect: false, prefixes: keptPrefixes };
    if (state.bcast) {
      if (prefixes.length === 0) this.addPrefix(c, '');
      for (const p of prefixes) this.addPrefix(c, p);
    }
  }

  private addPrefix(c: TrackingClient, prefix: string): void {
    let ps = this.prefixes.get(prefix);
    if (ps === undefined) this.prefixes.set(prefix, (ps = { keys: new Map(), clients: new Set() }));
    if (ps.clients.has(c)) return;
    ps.clients.add(c);
    c.tracking!.prefixes.push(prefix);
  }

  disable(c: TrackingClient): void {
    const state = c.tracking;
    if (state === null) return;
    for (const p of state.prefixes) {
      const ps = this.prefixes.get(p);
      if (ps === undefined) continue;
      ps.clients.delete(c);
      if (ps.clients.size === 0) this.prefixes.delete(p);
    }
    c.tracking = null;
    if (--this.trackingClients === 0) this.onInterestChanged();
  }

  /** The first of `prefixes` that overlaps a prefix of the client or a later one of the list, as Redis's error says it; null if none. */
  prefixCollision(c: TrackingClient, prefixes: readonly string[]): string | null {
    const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    for (let i = 0; i < prefixes.length; i++) {
      for (const existing of c.tracking?.prefixes ?? []) {
        if (overlaps(existing, prefixes[i])) {
          return `Prefix '${prefixes[i]}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefixes[i], prefixes[j])) {
          return `Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return null;
  }

  /** After a read-only command of a tracking client (not BCAST): remember the keys it read. */
  rememberKeys(c: TrackingClient, keys: readonly string[]): void {
    const state = c.tracking;
    if (state === null || state.bcast) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    for (const key of keys) {
      let ids = this.table.get(key);
      if (ids === undefined) this.table.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.totalItems++;
      }
    }
  }

  /** KeyChangeListener: a key changed (any database: the table is not per database, as in Redis). */
  touched(_db: Database, key: string, byServer = false): void {
    // As Redis's signalModifiedKey: nothing is invalidated while no client tracks.
    if (this.trackingClients === 0) return;
    this.invalidate(key, true, byServer);
  }

  /**
   * KeyChangeListener: FLUSHDB/FLUSHALL empties the table and sends every tracking client a null,
   * once per command however many databases it emptied (after it, or at the end of the turn when
   * no command runs, as for a full sync).
   */
  flushed(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    if (this.current === null) setImmediate(() => this.afterCommand());
  }

  private flushPending = false;

  /** Called after each top-level command: a flush's null invalidation (once per command), then the current client's own. */
  afterCommand(): void {
    if (this.flushPending) {
      this.flushPending = false;
      this.invalidateAll();
    }
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    const c = this.current;
    if (c === null) return;
    for (const key of pending) this.send(c, key === null ? null : [key]);
  }

  /** tracking-table-max-keys: drops keys (invalidating them) while the table is too big, with growing effort. */
  enforceLimit(): void {
    if (this.maxKeys === 0 || this.table.size <= this.maxKeys) {
      this.limitEffort = 0;
      return;
    }
    let effort = 100 * (this.limitEffort + 1);
    for (const key of this.table.keys()) {
      if (effort-- <= 0) break;
      this.invalidate(key, false);
      if (this.table.size <= this.maxKeys) {
        this.limitEffort = 0;
        return;
      }
    }
    this.limitEffort++;
  }

  private invalidate(key: string, bcast: boolean, byServer = false): void {
    // An expiry or eviction is remembered with no client, so NOLOOP never hides it (the
    // non-BCAST checks below compare with the running client, as Redis's do).
    if (bcast && this.prefixes.size > 0) this.rememberForBroadcast(key, byServer ? null : this.current);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    this.table.delete(key);
    this.totalItems -= ids.size;
    for (const id of ids) {
      const target = this.clients.get(id);
      if (target === undefined || target.tracking === null || target.tracking.bcast) continue;
      if (target.tracking.noloop && target === this.current) continue;
      if (target === this.current) this.pending.push(key);
      else this.send(target, [key]);
    }
  }

  private invalidateAll(): void {
    // Any flush frees the whole table, tracking clients or not (Redis's trackingInvalidateKeysOnFlush).
    const hadKeys = this.table.size > 0;
    this.table.clear();
    this.totalItems = 0;
    if (hadKeys && this.trackingClients === 0) this.onInterestChanged();
    for (const c of this.trackedClients()) {
      if (c === this.current) this.pending.push(null);
      else this.send(c, null);
    }
  }

  private *trackedClients(): Iterable<TrackingClient> {
    for (const c of [...this.clients.values()]) if (c.tracking !== null) yield c;
  }

  private rememberForBroadcast(key: string, changedBy: TrackingClient | null): void {
    for (const [prefix, ps] of this.prefixes) {
      if (!key.startsWith(prefix)) continue;
      // The last client to change the key is kept (NOLOOP skips keys it changed itself).
      ps.keys.set(key, changedBy);
    }
    if (!this.broadcastScheduled) {
      this.broadcastScheduled = true;
      setImmediate(() => this.broadcast());
    }
  }

  /** End of the turn (Redis's beforeSleep): each prefix's changed keys to its clients, once. */
  private broadcast(): void {
    this.broadcastScheduled = false;
    // Prefixes in byte order, as Redis walks its radix tree of them.
    for (const prefix of [...this.prefixes.keys()].sort(byteOrder)) {
      const ps = this.prefixes.get(prefix)!;
      if (ps.keys.size === 0) continue;
      // Redis's radix tree lists the keys in byte order.
      const all = [...ps.keys.keys()].sort(byteOrder);
      for (const c of ps.clients) {
        const keys = c.tracking?.noloop ? all.filter((k) => ps.keys.get(k) !== c) : all;
        if (keys.length > 0) this.send(c, keys);
      }
      ps.keys = new Map();
    }
  }

  /** sendTrackingMessage: keys, or null for "everything" (a flush). */
  private send(c: TrackingClient, keys: readonly string[] | null): void {
    const state = c.tracking;
    let target = c;
    let redirected = false;
    if (state !== null && state.redirect !== 0) {
      const redir = this.clients.get(state.redirect);
      if (redir === undefined) {
        state.brokenRedirect = true;
        if (c.protocol > 2) c.deliver(Buffer.from(`>2\r\n$21\r\ntracking-redir-broken\r\n:${state.redirect}\r\n`));
        return;
      }
      target = redir;
      redirected = true;
    }
    // The null is the one of the tracking client's own protocol, as Redis builds it.
    const value = keys === null ? Buffer.from(c.protocol > 2 ? '_\r\n' : '$-1\r\n') : keysArray(keys);
    if (target.protocol > 2) target.deliver(Buffer.concat([Buffer.from('>2\r\n'), INVALIDATE, value]));
    else if (redirected && target.subscribed) target.deliver(Buffer.concat([Buffer.from('*3\r\n'), CHANNEL, value]));
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
