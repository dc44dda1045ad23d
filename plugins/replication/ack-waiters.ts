import type { CommandContext } from 'redix';
import type { ReplicationService } from './replication-service';
import { GETACK_COMMAND } from './stream-encoding';

interface Waiter {
  client: CommandContext;
  /** The client's last write: replicas must have acknowledged this offset. */
  offset: number;
  replicas: number;
  timer: NodeJS.Timeout | null;
}

/**
 * WAIT numreplicas timeout: remembers each client's last write offset, blocks a WAIT until enough
 * replicas acknowledged it (or the timeout), and asks the replicas for an ACK at once with one
 * REPLCONF GETACK per event-loop turn, however many clients wait.
 */
export class AckWaiters {
  private readonly lastWrite = new WeakMap<CommandContext, number>();
  private waiters: Waiter[] = [];
  private getAckScheduled = false;

  constructor(private readonly service: ReplicationService) {}

  /** Called for every write a client propagates (master side). */
  noteWrite(client: CommandContext, offset: number): void {
    this.lastWrite.set(client, offset);
  }

  /** Replies now if enough replicas already acknowledged; otherwise blocks the client. */
  wait(client: CommandContext, replicas: number, timeoutMs: number): void {
    const offset = this.lastWrite.get(client) ?? 0;
    const acked = this.service.countAcks(offset);
    if (acked >= replicas) {
      client.reply.integer(acked);
      return;
    }
    const waiter: Waiter = { client, offset, replicas, timer: null };
    if (timeoutMs > 0) waiter.timer = setTimeout(() => this.finish(waiter, this.service.countAcks(offset)), timeoutMs);
    this.waiters.push(waiter);
    client.block();
    client.onClose(() => this.remove(waiter));
    this.requestAcks();
  }

  /** An ACK arrived: unblock the clients whose condition now holds. */
  acked(): void {
    if (this.waiters.length === 0) return;
    for (const waiter of [...this.waiters]) {
      const acked = this.service.countAcks(waiter.offset);
      if (acked >= waiter.replicas) this.finish(waiter, acked);
    }
  }

  /** Unblocks every waiting client with an error (this server turned into a replica). */
  unblockAll(error: string): void {
    for (const waiter of [...this.waiters]) {
      this.remove(waiter);
      waiter.client.reply.error(error);
      waiter.client.unblock();
    }
  }

  stop(): void {
    for (const waiter of this.waiters) if (waiter.timer !== null) clearTimeout(waiter.timer);
    this.waiters = [];
  }

  private finish(waiter: Waiter, acked: number): void {
    if (!this.remove(waiter)) return;
    waiter.client.reply.integer(acked);
    waiter.client.unblock();
  }

  private remove(waiter: Waiter): boolean {
    const i = this.waiters.indexOf(waiter);
    if (i < 0) return false;
    this.waiters.splice(i, 1);
    if (waiter.timer !== null) clearTimeout(waiter.timer);
    return true;
  }

  private requestAcks(): void {
    if (this.getAckScheduled) return;
    this.getAckScheduled = true;
    setImmediate(() => {
      this.getAckScheduled = false;
      if (this.service.replicas.length > 0) this.service.feedOwnCommand(GETACK_COMMAND);
    });
  }
}
