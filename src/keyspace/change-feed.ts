import type { CommandContext } from '../commands/command-context';

/**
 * Data changes, normalized for deterministic replay, go to observers (AOF, replication). The
 * storage engine and the commands know nothing of who listens; with no observer the cost is a
 * length check.
 */
export type PropagatedArg = Buffer | string;

/**
 * `source` is the client whose command made the change (absent for changes of the server's own,
 * such as expired keys); replication uses it to know each client's last write for WAIT.
 * `replicasOnly` marks what Redis propagates to replicas but not to the AOF (PUBLISH).
 */
export type ChangeListener = (dbIndex: number, argv: readonly PropagatedArg[], source?: CommandContext, replicasOnly?: boolean) => void;

interface HeldChange {
  dbIndex: number;
  argv: readonly PropagatedArg[];
  replicasOnly: boolean;
}

const MULTI: readonly PropagatedArg[] = ['MULTI'];
const EXEC: readonly PropagatedArg[] = ['EXEC'];

export class ChangeFeed {
  private listeners: ChangeListener[] = [];
  /** Changes held while a batch is open (EXEC, a script), or null. */
  private held: HeldChange[] | null = null;
  private depth = 0;

  get active(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  publish(dbIndex: number, argv: readonly PropagatedArg[], source?: CommandContext, replicasOnly = false): void {
    if (this.held !== null) {
      this.held.push({ dbIndex, argv, replicasOnly });
      return;
    }
    this.deliver(dbIndex, argv, source, replicasOnly);
  }

  /**
   * Holds what is published until the matching endBatch, which delivers it as one atomic unit:
   * several changes wrapped in MULTI ... EXEC (MULTI in the first change's database), a single
   * change alone, none as nothing, as Redis 7.0's propagatePendingCommands does. Batches nest: the
   * outermost one delivers.
   */
  beginBatch(): void {
    if (this.depth++ === 0 && this.active) this.held = [];
  }

  endBatch(source?: CommandContext): void {
    if (--this.depth !== 0) return;
    const held = this.held;
    this.held = null;
    if (held === null || held.length === 0) return;
    if (held.length === 1) {
      this.deliver(held[0].dbIndex, held[0].argv, source, held[0].replicasOnly);
      return;
    }
    // The AOF gets MULTI/EXEC only around what it gets (Redis wraps per target the same way).
    const replicasOnly = held.every((h) => h.replicasOnly);
    this.deliver(held[0].dbIndex, MULTI, source, replicasOnly);
    for (const change of held) this.deliver(change.dbIndex, change.argv, source, change.replicasOnly);
    this.deliver(held[held.length - 1].dbIndex, EXEC, source, replicasOnly);
  }

  private deliver(dbIndex: number, argv: readonly PropagatedArg[], source: CommandContext | undefined, replicasOnly: boolean): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](dbIndex, argv, source, replicasOnly);
  }
}
