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
 */
export type ChangeListener = (dbIndex: number, argv: readonly PropagatedArg[], source?: CommandContext) => void;

export class ChangeFeed {
  private listeners: ChangeListener[] = [];

  get active(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  publish(dbIndex: number, argv: readonly PropagatedArg[], source?: CommandContext): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](dbIndex, argv, source);
  }
}
