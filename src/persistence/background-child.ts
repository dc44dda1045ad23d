/** What Redis would run in a forked child: a BGSAVE, or an AOF rewrite. */
export type BackgroundChildKind = 'rdb' | 'aof';

/**
 * Redis runs BGSAVE and BGREWRITEAOF in a forked child, one child at a time: while one runs, the
 * other is refused or scheduled (`-ERR Another child process is active (AOF?)...`, `+Background
 * append only file rewriting scheduled`), and save points and the automatic AOF rewrite wait.
 * Redix runs both inside the server and could overlap them, but keeps Redis's rule so clients
 * see the same replies; this is the one slot the rdb and aof plugins share without knowing
 * each other.
 */
export class BackgroundChild {
  private current: BackgroundChildKind | null = null;

  /** The kind of background job running, or null. */
  get kind(): BackgroundChildKind | null {
    return this.current;
  }

  get active(): boolean {
    return this.current !== null;
  }

  /** Takes the slot; false if another job holds it. */
  acquire(kind: BackgroundChildKind): boolean {
    if (this.current !== null) return false;
    this.current = kind;
    return true;
  }

  /** Frees the slot if `kind` holds it (a finished, failed or aborted job). */
  release(kind: BackgroundChildKind): void {
    if (this.current === kind) this.current = null;
  }
}

const CHILDREN = new WeakMap<object, BackgroundChild>();

/** The background-job slot of a server (pass its ServerContext). */
export function backgroundChildOf(server: object): BackgroundChild {
  let child = CHILDREN.get(server);
  if (child === undefined) {
    child = new BackgroundChild();
    CHILDREN.set(server, child);
  }
  return child;
}
