/**
 * CLUSTER, ASKING, READONLY and READWRITE as a Redis 7.0 started with cluster-enabled no has them:
 * in the command table (COMMAND LIST/INFO/DOCS/COUNT agree with Redis), each answering that cluster
 * support is disabled. Redix has no cluster mode.
 */
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { CommandSpec } from '../command-spec';
import { CLUSTER_DOCS } from './cluster-docs';

const ERR_CLUSTER_DISABLED = 'ERR This instance has cluster support disabled';

/** Every CLUSTER subcommand of 7.0, as its COMMAND INFO and COMMAND DOCS describe it. */
const CLUSTER_SUBCOMMANDS: readonly CommandSpec[] = [
  { name: 'cluster|addslots', arity: -3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Assign new hash slots to receiving node', complexity: 'O(N) where N is the total number of hash slot arguments', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|addslots'] },
  { name: 'cluster|addslotsrange', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '7.0.0', summary: 'Assign new hash slots to receiving node', complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|addslotsrange'] },
  { name: 'cluster|bumpepoch', arity: 2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Advance the cluster config epoch', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|bumpepoch'] },
  { name: 'cluster|count-failure-reports', arity: 3, flags: ['admin', 'stale'], group: 'cluster', since: '3.0.0', summary: 'Return the number of failure reports active for a given node', complexity: 'O(N) where N is the number of failure reports', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|count-failure-reports'] },
  { name: 'cluster|countkeysinslot', arity: 3, flags: ['stale'], group: 'cluster', since: '3.0.0', summary: 'Return the number of local keys in the specified hash slot', complexity: 'O(1)', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|countkeysinslot'] },
  { name: 'cluster|delslots', arity: -3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Set hash slots as unbound in receiving node', complexity: 'O(N) where N is the total number of hash slot arguments', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|delslots'] },
  { name: 'cluster|delslotsrange', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '7.0.0', summary: 'Set hash slots as unbound in receiving node', complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|delslotsrange'] },
  { name: 'cluster|failover', arity: -2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Forces a replica to perform a manual failover of its master.', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|failover'] },
  { name: 'cluster|flushslots', arity: 2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Delete a node\'s own slots information', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'] },
  { name: 'cluster|forget', arity: 3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Remove a node from the nodes table', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|forget'] },
  { name: 'cluster|getkeysinslot', arity: 4, flags: ['stale'], group: 'cluster', since: '3.0.0', summary: 'Return local key names in the specified hash slot', complexity: 'O(log(N)) where N is the number of requested keys', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|getkeysinslot'] },
  { name: 'cluster|help', arity: 2, flags: ['loading', 'stale'], group: 'cluster', since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow'] },
  { name: 'cluster|info', arity: 2, flags: ['stale'], group: 'cluster', since: '3.0.0', summary: 'Provides info about Redis Cluster node state', complexity: 'O(1)', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|info'] },
  { name: 'cluster|keyslot', arity: 3, flags: ['stale'], group: 'cluster', since: '3.0.0', summary: 'Returns the hash slot of the specified key', complexity: 'O(N) where N is the number of bytes in the key', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|keyslot'] },
  { name: 'cluster|links', arity: 2, flags: ['stale'], group: 'cluster', since: '7.0.0', summary: 'Returns a list of all TCP links to and from peer nodes in cluster', complexity: 'O(N) where N is the total number of Cluster nodes', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|links'] },
  { name: 'cluster|meet', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Force a node cluster to handshake with another node', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|meet'] },
  { name: 'cluster|myid', arity: 2, flags: ['stale'], group: 'cluster', since: '3.0.0', summary: 'Return the node id', complexity: 'O(1)', aclCategories: ['@slow'] },
  { name: 'cluster|nodes', arity: 2, flags: ['stale'], group: 'cluster', since: '3.0.0', summary: 'Get Cluster config for the node', complexity: 'O(N) where N is the total number of Cluster nodes', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|nodes'] },
  { name: 'cluster|replicas', arity: 3, flags: ['admin', 'stale'], group: 'cluster', since: '5.0.0', summary: 'List replica nodes of the specified master node', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|replicas'] },
  { name: 'cluster|replicate', arity: 3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Reconfigure a node as a replica of the specified master node', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|replicate'] },
  { name: 'cluster|reset', arity: -2, flags: ['admin', 'noscript', 'stale'], group: 'cluster', since: '3.0.0', summary: 'Reset a Redis Cluster node', complexity: 'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|reset'] },
  { name: 'cluster|saveconfig', arity: 2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Forces the node to save cluster state on disk', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'] },
  { name: 'cluster|set-config-epoch', arity: 3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Set the configuration epoch in a new node', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|set-config-epoch'] },
  { name: 'cluster|setslot', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', since: '3.0.0', summary: 'Bind a hash slot to a specific node', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|setslot'] },
  { name: 'cluster|shards', arity: 2, flags: ['stale'], group: 'cluster', since: '7.0.0', summary: 'Get array of cluster slots to node mappings', complexity: 'O(N) where N is the total number of cluster nodes', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|shards'] },
  { name: 'cluster|slaves', arity: 3, flags: ['admin', 'stale'], group: 'cluster', since: '3.0.0', summary: 'List replica nodes of the specified master node', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...CLUSTER_DOCS['cluster|slaves'] },
  { name: 'cluster|slots', arity: 2, flags: ['stale'], group: 'cluster', since: '3.0.0', summary: 'Get array of Cluster slot to node mappings', complexity: 'O(N) where N is the total number of Cluster nodes', aclCategories: ['@slow'], ...CLUSTER_DOCS['cluster|slots'] },
];

@CommandModule({ containers: [{ name: 'cluster', group: 'cluster', since: '3.0.0', summary: 'A container for cluster commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class ClusterCommands {
  /** CLUSTER <subcommand> ...: Redis checks cluster mode before anything else, HELP included. */
  disabled(c: CommandContext): void {
    c.reply.error(ERR_CLUSTER_DISABLED);
  }

  /** ASKING */
  @Command({ name: 'asking', arity: 1, flags: ['fast'], group: 'cluster', since: '3.0.0', summary: 'Sent by cluster clients after an -ASK redirect', complexity: 'O(1)', aclCategories: ['@fast', '@connection'] })
  asking(c: CommandContext): void {
    c.reply.error(ERR_CLUSTER_DISABLED);
  }

  /** READONLY */
  @Command({ name: 'readonly', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'cluster', since: '3.0.0', summary: 'Enables read queries for a connection to a cluster replica node', complexity: 'O(1)', aclCategories: ['@fast', '@connection'] })
  readonly(c: CommandContext): void {
    c.reply.error(ERR_CLUSTER_DISABLED);
  }

  /** READWRITE */
  @Command({ name: 'readwrite', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'cluster', since: '3.0.0', summary: 'Disables read queries for a connection to a cluster replica node', complexity: 'O(1)', aclCategories: ['@fast', '@connection'] })
  readwrite(c: CommandContext): void {
    c.reply.error(ERR_CLUSTER_DISABLED);
  }
}

// One handler for all 27 subcommands: the decorator only records (spec, method) pairs.
const disabled = Object.getOwnPropertyDescriptor(ClusterCommands.prototype, 'disabled')!;
for (const spec of CLUSTER_SUBCOMMANDS) Command(spec)(ClusterCommands.prototype, 'disabled', disabled);
