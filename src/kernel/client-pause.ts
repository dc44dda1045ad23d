import type { Keyspace } from '../keyspace/keyspace';

/** What a pause holds: nothing, the commands that may write or replicate, or every command. */
export type PauseType = 'none' | 'write' | 'all';

/** A client whose command waits for the pause to end (Redis's BLOCKED_POSTPONE). */
export interface PostponedClient {
  /** Runs the postponed command and what the client sent after it. */
  resumeFromPause(): void;
}

/**
 * CLIENT PAUSE / UNPAUSE (Redis's pauseClients): while paused, commands of the paused kind wait
 * (postponed, counted as blocked clients) and run in arrival order at the end; keys do not expire
 * (reads see expired keys as missing, nothing is deleted), so that a failover sees a stable dataset.
 * A new pause can only lengthen the current one or make it stricter.
 */
export class ClientPause {
  type: PauseType = 'none';
  private end = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly postponed = new Set<PostponedClient>();

  constructor(private readonly keyspace: Keyspace) {}

  get active(): boolean {
    return this.type !== 'none';
  }

  /** Postponed clients (INFO blocked_clients counts them). */
  get waiting(): number {
    return this.postponed.size;
  }

  pause(end: number, type: 'write' | 'all'): void {
    if (this.type === 'none') {
      this.type = type;
      this.end = end;
    } else {
      if (end > this.end) this.end = end;
      if (type === 'all') this.type = 'all';
    }
    this.keyspace.expiryPaused = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.unpause(), Math.max(0, this.end - Date.now()));
    this.timer.unref();
  }

  unpause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.type = 'none';
    this.end = 0;
    this.keyspace.expiryPaused = false;
    const waiting = [...this.postponed];
    this.postponed.clear();
    for (const c of waiting) c.resumeFromPause();
  }

  /** True if a command of this kind must wait now (`mayReplicate`: it has the write or may_replicate flag). */
  holds(mayReplicate: boolean): boolean {
    return this.type === 'all' || (this.type === 'write' && mayReplicate);
  }

  postpone(c: PostponedClient): void {
    this.postponed.add(c);
  }

  /** A postponed client went away. */
  forget(c: PostponedClient): void {
    this.postponed.delete(c);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
