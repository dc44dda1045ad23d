import { Command, CommandModule, TOKENS, errors, inject, isKeyword, parseInteger, parseTimeoutOrReply, type CommandContext, type ServerContext } from 'redix-server';
import { writeRole } from './replication-info';
import { ReplicationService } from './replication-service';
import { SyncRequests } from './sync-requests';
import { REPLICATION_DOCS } from './replication-docs';

const REPLICAOF_SPEC = {
  arity: 3, flags: ['admin', 'noscript', 'stale', 'no_async_loading'], group: 'server',
  summary: 'Make the server a replica of another instance, or promote it as master.', complexity: 'O(1)',
  aclCategories: ['@admin', '@slow', '@dangerous'],
} as const;

const SYNC_FLAGS = ['admin', 'noscript', 'no_async_loading', 'no_multi'] as const;

const ERR_WAIT_ON_REPLICA = 'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.';

/** REPLICAOF/SLAVEOF, SYNC, PSYNC, REPLCONF, WAIT, ROLE. */
@CommandModule()
export class ReplicationCommands {
  private state: { service: ReplicationService; requests: SyncRequests } | null = null;

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private get service(): ReplicationService {
    return this.resolve().service;
  }

  private get requests(): SyncRequests {
    return this.resolve().requests;
  }

  private resolve(): { service: ReplicationService; requests: SyncRequests } {
    if (this.state === null) {
      const service = ReplicationService.of(this.server);
      this.state = { service, requests: new SyncRequests(service) };
    }
    return this.state;
  }

  /** REPLICAOF host port | REPLICAOF NO ONE */
  @Command({ name: 'replicaof', ...REPLICAOF_SPEC, since: '5.0.0', ...REPLICATION_DOCS.replicaof })
  replicaof(c: CommandContext, argv: Buffer[]): void {
    this.replicaOf(c, argv);
  }

  /** SLAVEOF host port | SLAVEOF NO ONE */
  @Command({ name: 'slaveof', ...REPLICAOF_SPEC, since: '1.0.0', ...REPLICATION_DOCS.slaveof })
  slaveof(c: CommandContext, argv: Buffer[]): void {
    this.replicaOf(c, argv);
  }

  private replicaOf(c: CommandContext, argv: Buffer[]): void {
    const service = this.service;
    if (isKeyword(argv[1], 'NO') && isKeyword(argv[2], 'ONE')) {
      if (service.isReplica) {
        service.promote();
        service.logger.notice(`MASTER MODE enabled (user request from 'id=${c.id} addr=${c.address}')`);
      }
      c.reply.ok();
      return;
    }
    // Becoming a replica drops our replicas: one of them cannot ask for it.
    if (c.isReplica) {
      c.reply.error('ERR Command is not valid when client is a replica.');
      return;
    }
    const port = parseInteger(argv[2]);
    if (port === null || port < 0 || port > 65535) {
      c.reply.error('ERR Invalid master port');
      return;
    }
    const host = argv[1].latin1Slice(0, argv[1].length);
    if (!service.becomeReplicaOf(host, port)) {
      service.logger.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
      c.reply.status('OK Already connected to specified master');
      return;
    }
    service.logger.notice(`REPLICAOF ${host}:${port} enabled (user request from 'id=${c.id} addr=${c.address}')`);
    c.reply.ok();
  }

  /** SYNC */
  @Command({ name: 'sync', arity: 1, flags: SYNC_FLAGS, group: 'server', since: '1.0.0', summary: 'Internal command used for replication', aclCategories: ['@admin', '@slow', '@dangerous'] })
  sync(c: CommandContext, argv: Buffer[]): void {
    this.requests.sync(c, argv, false);
  }

  /** PSYNC replicationid offset */
  @Command({ name: 'psync', arity: -3, flags: SYNC_FLAGS, group: 'server', since: '2.8.0', summary: 'Internal command used for replication', aclCategories: ['@admin', '@slow', '@dangerous'], ...REPLICATION_DOCS.psync })
  psync(c: CommandContext, argv: Buffer[]): void {
    this.requests.sync(c, argv, true);
  }

  /** REPLCONF [option value ...] */
  @Command({ name: 'replconf', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], group: 'server', since: '3.0.0', summary: 'An internal command for configuring the replication stream', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...REPLICATION_DOCS.replconf })
  replconf(c: CommandContext, argv: Buffer[]): void {
    this.requests.replconf(c, argv);
  }

  /** WAIT numreplicas timeout */
  @Command({ name: 'wait', arity: 3, flags: ['noscript'], group: 'generic', since: '3.0.0', summary: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection', complexity: 'O(1)', aclCategories: ['@slow', '@connection'], ...REPLICATION_DOCS.wait })
  wait(c: CommandContext, argv: Buffer[]): void {
    const service = this.service;
    if (service.isReplica) {
      c.reply.error(ERR_WAIT_ON_REPLICA);
      return;
    }
    const replicas = parseInteger(argv[1]);
    if (replicas === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    const deadline = parseTimeoutOrReply(c, argv[2], 'milliseconds');
    if (deadline === null) return;
    service.waits.wait(c, replicas, deadline);
  }

  /** ROLE */
  @Command({ name: 'role', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast'], group: 'server', since: '2.8.12', summary: 'Return the role of the instance in the context of replication', complexity: 'O(1)', aclCategories: ['@admin', '@fast', '@dangerous'] })
  role(c: CommandContext): void {
    writeRole(c, this.service);
  }
}
