import type { Database } from '../keyspace/database';

/** A client that can WATCH keys. */
export interface WatchingClient {
  /** The keys it watches (null: none). */
  watched: WatchedKey[] | null;
  /** Set when a watched key changed: its next EXEC fails (CLIENT LIST flag d). */
  dirtyCas: boolean;
}

export interface WatchedKey {
  readonly key: string;
  readonly db: Database;
  readonly client: WatchingClient;
  /** The key existed but had already expired when WATCH was called (a "stale" key). */
  expired: boolean;
}

/**
 * WATCH: per database, the clients watching each key, flagged dirty when the key changes, with
 * Redis 7.0's rules for keys that were already expired when watched (multi.c): deleting or
 * flushing such a key is no change; at EXEC a watched key that expired since counts as changed.
 */
export class WatchRegistry {
  private readonly byDb: Map<string, WatchedKey[]>[];
  /** Watched (client, key) pairs: while non-zero, writes signal keys. */
  count = 0;
  onInterestChanged: (() => void) | null = null;

  constructor(databases: number) {
    this.byDb = [];
    for (let i = 0; i < databases; i++) this.byDb.push(new Map());
  }

  watch(client: WatchingClient, db: Database, key: string): void {
    const mine = client.watched ?? (client.watched = []);
    for (const w of mine) if (w.db === db && w.key === key) return;
    const entry: WatchedKey = { key, db, client, expired: db.isExpired(key) };
    mine.push(entry);
    const perKey = this.byDb[db.index];
    const list = perKey.get(key);
    if (list === undefined) perKey.set(key, [entry]);
    else list.push(entry);
    if (this.count++ === 0) this.onInterestChanged?.();
  }

  unwatchAll(client: WatchingClient): void {
    const mine = client.watched;
    if (mine === null) return;
    client.watched = null;
    for (const w of mine) {
      const perKey = this.byDb[w.db.index];
      const list = perKey.get(w.key);
      if (list === undefined) continue;
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) perKey.delete(w.key);
    }
    this.count -= mine.length;
    if (this.count === 0) this.onInterestChanged?.();
  }

  /** A key changed (touchWatchedKey). */
  touched(db: Database, key: string): void {
    const list = this.byDb[db.index].get(key);
    if (list === undefined) return;
    for (const w of [...list]) {
      if (w.expired) {
        // Watched while already expired: its deletion is logically no change.
        if (!db.holds(key)) {
          w.expired = false;
          continue;
        }
        // As Redis 7.0 does, the other watchers of this key are not looked at either.
        break;
      }
      w.client.dirtyCas = true;
      this.unwatchAll(w.client);
    }
  }

  /**
   * `emptied` is about to be flushed, or to get the contents of `replacedWith` (SWAPDB): a watched
   * key that exists in either changes, except stale keys replaced by nothing or by stale keys.
   */
  beforeReplace(emptied: Database, replacedWith: Database | null): void {
    const perKey = this.byDb[emptied.index];
    if (perKey.size === 0) return;
    for (const [key, list] of perKey) {
      const inEmptied = emptied.holds(key);
      const inReplacement = replacedWith !== null && replacedWith.holds(key);
      if (!inEmptied && !inReplacement) continue;
      for (const w of list) {
        if (w.expired) {
          if (!inReplacement) {
            w.expired = false;
            continue;
          }
          if (replacedWith!.isExpired(key)) continue;
        } else if (!inEmptied && replacedWith!.isExpired(key)) {
          // Nothing replaced by a stale key: no change, but the key is now watched stale.
          w.expired = true;
          continue;
        }
        // Flagged, not unwatched here, as Redis does (it may be iterating this very list).
        w.client.dirtyCas = true;
      }
    }
  }

  /** EXEC: true if a watched key (not stale when watched) has expired since. */
  anyExpired(client: WatchingClient): boolean {
    for (const w of client.watched ?? []) if (!w.expired && w.db.isExpired(w.key)) return true;
    return false;
  }
}
