import type { CommandDocs } from 'redix-server';

/** REPLICAOF and its deprecated name SLAVEOF take the same arguments. */
const REPLICAOF_ARGUMENTS = [
  { name: 'args', type: 'oneof', arguments: [
    { name: 'host-port', type: 'block', arguments: [
      { name: 'host', type: 'string' },
      { name: 'port', type: 'integer' },
    ] },
    { name: 'no-one', type: 'block', arguments: [
      { name: 'no', type: 'pure-token', token: 'NO' },
      { name: 'one', type: 'pure-token', token: 'ONE' },
    ] },
  ] },
] satisfies CommandDocs['arguments'];

/**
 * Key specs, tips, history and argument trees of the replication plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const REPLICATION_DOCS = {
  psync: {
    arguments: [
      { name: 'replicationid', type: 'string' },
      { name: 'offset', type: 'integer' },
    ],
  },
  replconf: {
    docFlags: ['syscmd'],
  },
  replicaof: {
    arguments: REPLICAOF_ARGUMENTS,
  },
  slaveof: {
    docFlags: ['deprecated'],
    deprecatedSince: '5.0.0',
    replacedBy: '`REPLICAOF`',
    arguments: REPLICAOF_ARGUMENTS,
  },
  wait: {
    tips: ['request_policy:all_shards', 'response_policy:agg_min'],
    arguments: [
      { name: 'numreplicas', type: 'integer' },
      { name: 'timeout', type: 'integer' },
    ],
  },
} satisfies Record<string, CommandDocs>;
