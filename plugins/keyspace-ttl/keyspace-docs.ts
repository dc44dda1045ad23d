import { keysAt, type CommandDocs } from 'redix-server';

/** EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT differ only in their time argument. */
function expireDocs(time: string, type: 'integer' | 'unix-time') {
  return {
    keySpecs: [keysAt(1, ['RW', 'update'])],
    history: [
      ['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: time, type },
      { name: 'condition', type: 'oneof', since: '7.0.0', optional: true, arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
        { name: 'gt', type: 'pure-token', token: 'GT' },
        { name: 'lt', type: 'pure-token', token: 'LT' },
      ] },
    ],
  } satisfies CommandDocs;
}

/** OBJECT ENCODING, FREQ, IDLETIME and REFCOUNT: one key, read, nondeterministic output. */
const OBJECT_OF_KEY_DOCS = {
  keySpecs: [keysAt(2, ['RO'])],
  tips: ['nondeterministic_output'],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
} satisfies CommandDocs;

/** TTL and PTTL differ only in their unit. */
const TTL_DOCS = {
  keySpecs: [keysAt(1, ['RO', 'access'])],
  tips: ['nondeterministic_output'],
  history: [
    ['2.8.0', 'Added the -2 reply.'],
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
} satisfies CommandDocs;

/**
 * Key specs, tips, history and argument trees of the keyspace-ttl plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const KEYSPACE_DOCS = {
  copy: {
    keySpecs: [keysAt(1, ['RO', 'access']), keysAt(2, ['OW', 'update'])],
    arguments: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'destination-db', type: 'integer', token: 'DB', optional: true },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
    ],
  },
  del: {
    keySpecs: [keysAt(1, ['RM', 'delete'], -1)],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  exists: {
    keySpecs: [keysAt(1, ['RO'], -1)],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    history: [
      ['3.0.3', 'Accepts multiple `key` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  expire: expireDocs('seconds', 'integer'),
  expireat: expireDocs('unix-time-seconds', 'unix-time'),
  expiretime: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  keys: {
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    arguments: [
      { name: 'pattern', type: 'pattern' },
    ],
  },
  'memory|doctor': {
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  },
  'memory|malloc-stats': {
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  },
  'memory|purge': {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  },
  'memory|stats': {
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  },
  'memory|usage': {
    keySpecs: [keysAt(2, ['RO'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', token: 'SAMPLES', optional: true },
    ],
  },
  move: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'db', type: 'integer' },
    ],
  },
  'object|encoding': OBJECT_OF_KEY_DOCS,
  'object|freq': OBJECT_OF_KEY_DOCS,
  'object|idletime': OBJECT_OF_KEY_DOCS,
  'object|refcount': OBJECT_OF_KEY_DOCS,
  persist: {
    keySpecs: [keysAt(1, ['RW', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  pexpire: expireDocs('milliseconds', 'integer'),
  pexpireat: expireDocs('unix-time-milliseconds', 'unix-time'),
  pexpiretime: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  pttl: TTL_DOCS,
  randomkey: {
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
  },
  rename: {
    keySpecs: [keysAt(1, ['RW', 'access', 'delete']), keysAt(2, ['OW', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'newkey', type: 'key', keySpecIndex: 1 },
    ],
  },
  renamenx: {
    keySpecs: [keysAt(1, ['RW', 'access', 'delete']), keysAt(2, ['OW', 'insert'])],
    history: [
      ['3.2.0', 'The command no longer returns an error when source and destination names are the same.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'newkey', type: 'key', keySpecIndex: 1 },
    ],
  },
  scan: {
    tips: ['nondeterministic_output', 'request_policy:special'],
    history: [
      ['6.0.0', 'Added the `TYPE` subcommand.'],
    ],
    arguments: [
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'type', type: 'string', token: 'TYPE', since: '6.0.0', optional: true },
    ],
  },
  swapdb: {
    arguments: [
      { name: 'index1', type: 'integer' },
      { name: 'index2', type: 'integer' },
    ],
  },
  touch: {
    keySpecs: [keysAt(1, ['RO'], -1)],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  ttl: TTL_DOCS,
  type: {
    keySpecs: [keysAt(1, ['RO'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  unlink: {
    keySpecs: [keysAt(1, ['RM', 'delete'], -1)],
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
