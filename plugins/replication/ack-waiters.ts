import type { BlockHandler, CommandContext } from 'redix-server';
import type { ReplicationService } from './replication-service';
import { GETACK_COMMAND } from './stream-encoding';

/** A client blocked in WAIT: the kernel times it out, this list ends it when enough replicas acknowledged. */
class Waiter implements BlockHandler {
  constructor(
    readonly client: CommandContext,
    /** The client's last write: replicas must have acknowledged this offset. */
    readonly offset: number,
    readonly replicas: number,
    private readonly owner: AckWaiters,
  ) {}

  /** The timeout (or CLIENT UNBLOCK): the number of replicas that acknowledged so far. */
  timeout(c: CommandContext): void {
    c.reply.integer(this.owner.countAcks(this.offset));
  }

  ended(): void {
    this.owner.remove(this);
  }
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

  countAcks(offset: number): number {
    return this.service.countAcks(offset);
  }

  /**
   * Replies now if enough replicas already acknowledged, or where the client may not block
   * (inside MULTI, as Redis answers at once there); otherwise blocks it until `deadline`.
   */
  wait(client: CommandContext, replicas: number, deadline: number): void {
    const offset = this.lastWrite.get(client) ?? 0;
    const acked = this.service.countAcks(offset);
    if (acked >= replicas || client.blockingDenied) {
      client.reply.integer(acked);
      return;
    }
    const waiter = new Waiter(client, offset, replicas, this);
    this.waiters.push(waiter);
    client.block(deadline, waiter);
    this.requestAcks();
  }

  /** An ACK arrived: unblock the clients whose condition now holds. */
  acked(): void {
    if (this.waiters.length === 0) return;
    for (const waiter of [...this.waiters]) {
      const acked = this.service.countAcks(waiter.offset);
      if (acked >= waiter.replicas) {
        waiter.client.reply.integer(acked);
        waiter.client.unblock();
      }
    }
  }

  /** Unblocks every waiting client with an error (this server turned into a replica). */
  unblockAll(error: string): void {
    for (const waiter of [...this.waiters]) {
      waiter.client.reply.error(error);
      waiter.client.unblock();
    }
  }

  stop(): void {
    this.waiters = [];
  }

  remove(waiter: Waiter): void {
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
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
