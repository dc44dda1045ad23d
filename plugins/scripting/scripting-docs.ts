import type { CommandDocs } from 'redix-server';

/** COMMAND DOCS data of the scripting commands, as Redis 7.0.15 gives it. */
export const SCRIPTING_DOCS: Record<string, CommandDocs> = {
  eval: {
    keySpecs: [
      { notes: 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE', flags: ['RW', 'access', 'update'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'script', type: 'string' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, optional: true, multiple: true },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
  },
  evalsha: {
    keySpecs: [
      { flags: ['RW', 'access', 'update'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'sha1', type: 'string' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, optional: true, multiple: true },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
  },
  eval_ro: {
    keySpecs: [
      { notes: 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS', flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'script', type: 'string' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, optional: true, multiple: true },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
  },
  evalsha_ro: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'sha1', type: 'string' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, optional: true, multiple: true },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
  },
  fcall: {
    keySpecs: [
      { notes: 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE', flags: ['RW', 'access', 'update'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'function', type: 'string' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, optional: true, multiple: true },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
  },
  fcall_ro: {
    keySpecs: [
      { notes: 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS', flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'function', type: 'string' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, optional: true, multiple: true },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
  },
  'script|load': {
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    arguments: [
      { name: 'script', type: 'string' },
    ],
  },
  'script|exists': {
    tips: ['request_policy:all_shards', 'response_policy:agg_logical_and'],
    arguments: [
      { name: 'sha1', type: 'string', multiple: true },
    ],
  },
  'script|flush': {
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    history: [
      ['6.2.0', 'Added the `ASYNC` and `SYNC` flushing mode modifiers.'],
    ],
    arguments: [
      { name: 'async', type: 'oneof', since: '6.2.0', optional: true, arguments: [
        { name: 'async', type: 'pure-token', token: 'ASYNC' },
        { name: 'sync', type: 'pure-token', token: 'SYNC' },
      ] },
    ],
  },
  'script|kill': {
    tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
  },
  'script|debug': {
    arguments: [
      { name: 'mode', type: 'oneof', arguments: [
        { name: 'yes', type: 'pure-token', token: 'YES' },
        { name: 'sync', type: 'pure-token', token: 'SYNC' },
        { name: 'no', type: 'pure-token', token: 'NO' },
      ] },
    ],
  },
  'function|load': {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    arguments: [
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
      { name: 'function-code', type: 'string' },
    ],
  },
  'function|delete': {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    arguments: [
      { name: 'library-name', type: 'string' },
    ],
  },
  'function|flush': {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    arguments: [
      { name: 'async', type: 'oneof', optional: true, arguments: [
        { name: 'async', type: 'pure-token', token: 'ASYNC' },
        { name: 'sync', type: 'pure-token', token: 'SYNC' },
      ] },
    ],
  },
  'function|list': {
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'library-name-pattern', type: 'string', token: 'LIBRARYNAME', optional: true },
      { name: 'withcode', type: 'pure-token', token: 'WITHCODE', optional: true },
    ],
  },
  'function|restore': {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    arguments: [
      { name: 'serialized-value', type: 'string' },
      { name: 'policy', type: 'oneof', optional: true, arguments: [
        { name: 'flush', type: 'pure-token', token: 'FLUSH' },
        { name: 'append', type: 'pure-token', token: 'APPEND' },
        { name: 'replace', type: 'pure-token', token: 'REPLACE' },
      ] },
    ],
  },
  'function|stats': {
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  },
  'function|kill': {
    tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
  },
};
