import { keysAt, type CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the hashes plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const HASHES_DOCS = {
  hdel: {
    keySpecs: [keysAt(1, ['RW', 'delete'])],
    history: [
      ['2.4.0', 'Accepts multiple `field` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string', multiple: true },
    ],
  },
  hexists: {
    keySpecs: [keysAt(1, ['RO'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
    ],
  },
  hget: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
    ],
  },
  hgetall: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  hincrby: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'integer' },
    ],
  },
  hincrbyfloat: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'double' },
    ],
  },
  hkeys: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  hlen: {
    keySpecs: [keysAt(1, ['RO'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  hmget: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string', multiple: true },
    ],
  },
  hmset: {
    keySpecs: [keysAt(1, ['RW', 'update'])],
    docFlags: ['deprecated'],
    deprecatedSince: '4.0.0',
    replacedBy: '`HSET` with multiple field-value pairs',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field_value', type: 'block', multiple: true, arguments: [
        { name: 'field', type: 'string' },
        { name: 'value', type: 'string' },
      ] },
    ],
  },
  hrandfield: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'options', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer' },
        { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true },
      ] },
    ],
  },
  hscan: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
  hset: {
    keySpecs: [keysAt(1, ['RW', 'update'])],
    history: [
      ['4.0.0', 'Accepts multiple `field` and `value` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field_value', type: 'block', multiple: true, arguments: [
        { name: 'field', type: 'string' },
        { name: 'value', type: 'string' },
      ] },
    ],
  },
  hsetnx: {
    keySpecs: [keysAt(1, ['RW', 'insert'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
      { name: 'value', type: 'string' },
    ],
  },
  hstrlen: {
    keySpecs: [keysAt(1, ['RO'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
    ],
  },
  hvals: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
} satisfies Record<string, CommandDocs>;
