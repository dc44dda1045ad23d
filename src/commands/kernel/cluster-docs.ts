import type { CommandDocs } from '../command-spec';

/**
 * Tips and argument trees of the CLUSTER subcommands, as Redis 7.0 describes them in COMMAND INFO
 * and COMMAND DOCS (printed by test/tools/spec-from-redis.ts).
 */
export const CLUSTER_DOCS = {
  'cluster|addslots': {
    arguments: [
      { name: 'slot', type: 'integer', multiple: true },
    ],
  },
  'cluster|addslotsrange': {
    arguments: [
      { name: 'start-slot_end-slot', type: 'block', multiple: true, arguments: [
        { name: 'start-slot', type: 'integer' },
        { name: 'end-slot', type: 'integer' },
      ] },
    ],
  },
  'cluster|bumpepoch': {
    tips: ['nondeterministic_output'],
  },
  'cluster|count-failure-reports': {
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'node-id', type: 'string' },
    ],
  },
  'cluster|countkeysinslot': {
    arguments: [
      { name: 'slot', type: 'integer' },
    ],
  },
  'cluster|delslots': {
    arguments: [
      { name: 'slot', type: 'integer', multiple: true },
    ],
  },
  'cluster|delslotsrange': {
    arguments: [
      { name: 'start-slot_end-slot', type: 'block', multiple: true, arguments: [
        { name: 'start-slot', type: 'integer' },
        { name: 'end-slot', type: 'integer' },
      ] },
    ],
  },
  'cluster|failover': {
    arguments: [
      { name: 'options', type: 'oneof', optional: true, arguments: [
        { name: 'force', type: 'pure-token', token: 'FORCE' },
        { name: 'takeover', type: 'pure-token', token: 'TAKEOVER' },
      ] },
    ],
  },
  'cluster|forget': {
    arguments: [
      { name: 'node-id', type: 'string' },
    ],
  },
  'cluster|getkeysinslot': {
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'slot', type: 'integer' },
      { name: 'count', type: 'integer' },
    ],
  },
  'cluster|info': {
    tips: ['nondeterministic_output'],
  },
  'cluster|keyslot': {
    arguments: [
      { name: 'key', type: 'string' },
    ],
  },
  'cluster|links': {
    tips: ['nondeterministic_output'],
  },
  'cluster|meet': {
    history: [
      ['4.0.0', 'Added the optional `cluster_bus_port` argument.'],
    ],
    arguments: [
      { name: 'ip', type: 'string' },
      { name: 'port', type: 'integer' },
      { name: 'cluster_bus_port', type: 'integer', since: '4.0.0', optional: true },
    ],
  },
  'cluster|nodes': {
    tips: ['nondeterministic_output'],
  },
  'cluster|replicas': {
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'node-id', type: 'string' },
    ],
  },
  'cluster|replicate': {
    arguments: [
      { name: 'node-id', type: 'string' },
    ],
  },
  'cluster|reset': {
    arguments: [
      { name: 'hard_soft', type: 'oneof', optional: true, arguments: [
        { name: 'hard', type: 'pure-token', token: 'HARD' },
        { name: 'soft', type: 'pure-token', token: 'SOFT' },
      ] },
    ],
  },
  'cluster|set-config-epoch': {
    arguments: [
      { name: 'config-epoch', type: 'integer' },
    ],
  },
  'cluster|setslot': {
    arguments: [
      { name: 'slot', type: 'integer' },
      { name: 'subcommand', type: 'oneof', arguments: [
        { name: 'node-id', type: 'string', token: 'IMPORTING' },
        { name: 'node-id', type: 'string', token: 'MIGRATING' },
        { name: 'node-id', type: 'string', token: 'NODE' },
        { name: 'stable', type: 'pure-token', token: 'STABLE' },
      ] },
    ],
  },
  'cluster|shards': {
    tips: ['nondeterministic_output'],
  },
  'cluster|slaves': {
    tips: ['nondeterministic_output'],
    docFlags: ['deprecated'],
    deprecatedSince: '5.0.0',
    replacedBy: '`CLUSTER REPLICAS`',
    arguments: [
      { name: 'node-id', type: 'string' },
    ],
  },
  'cluster|slots': {
    tips: ['nondeterministic_output'],
    history: [
      ['4.0.0', 'Added node IDs.'],
      ['7.0.0', 'Added additional networking metadata field.'],
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '7.0.0',
    replacedBy: '`CLUSTER SHARDS`',
  },
} satisfies Record<string, CommandDocs>;
