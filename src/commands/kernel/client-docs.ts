import type { CommandDocs } from '../command-spec';

/**
 * Key specs, tips, history and argument trees of the CLIENT command, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const CLIENT_DOCS = {
  'client|info': {
    tips: ['nondeterministic_output'],
  },
  'client|kill': {
    history: [
      ['2.8.12', 'Added new filter format.'],
      ['2.8.12', '`ID` option.'],
      ['3.2.0', 'Added `master` type in for `TYPE` option.'],
      ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
      ['6.2.0', '`LADDR` option.'],
    ],
    arguments: [
      { name: 'filter', type: 'oneof', arguments: [
        { name: 'ip:port', type: 'string', deprecatedSince: '2.8.12' },
        { name: 'new-format', type: 'oneof', multiple: true, arguments: [
          { name: 'client-id', type: 'integer', token: 'ID', since: '2.8.12', optional: true },
          { name: 'normal_master_slave_pubsub', type: 'oneof', token: 'TYPE', since: '2.8.12', optional: true, arguments: [
            { name: 'normal', type: 'pure-token', token: 'NORMAL' },
            { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' },
            { name: 'slave', type: 'pure-token', token: 'SLAVE' },
            { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' },
            { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
          ] },
          { name: 'username', type: 'string', token: 'USER', optional: true },
          { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
          { name: 'ip:port', type: 'string', token: 'LADDR', since: '6.2.0', optional: true },
          { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true },
        ] },
      ] },
    ],
  },
  'client|list': {
    tips: ['nondeterministic_output'],
    history: [
      ['2.8.12', 'Added unique client `id` field.'],
      ['5.0.0', 'Added optional `TYPE` filter.'],
      ['6.0.0', 'Added `user` field.'],
      ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
      ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
      ['7.0.3', 'Added `ssub` field.'],
    ],
    arguments: [
      { name: 'normal_master_replica_pubsub', type: 'oneof', token: 'TYPE', since: '5.0.0', optional: true, arguments: [
        { name: 'normal', type: 'pure-token', token: 'NORMAL' },
        { name: 'master', type: 'pure-token', token: 'MASTER' },
        { name: 'replica', type: 'pure-token', token: 'REPLICA' },
        { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
      ] },
      { name: 'id', type: 'block', token: 'ID', since: '6.2.0', optional: true, arguments: [
        { name: 'client-id', type: 'integer', multiple: true },
      ] },
    ],
  },
  'client|no-evict': {
    arguments: [
      { name: 'enabled', type: 'oneof', arguments: [
        { name: 'on', type: 'pure-token', token: 'ON' },
        { name: 'off', type: 'pure-token', token: 'OFF' },
      ] },
    ],
  },
  'client|unblock': {
    arguments: [
      { name: 'client-id', type: 'integer' },
      { name: 'timeout_error', type: 'oneof', optional: true, arguments: [
        { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
        { name: 'error', type: 'pure-token', token: 'ERROR' },
      ] },
    ],
  },
  'client|setname': {
    arguments: [
      { name: 'connection-name', type: 'string' },
    ],
  },
} satisfies Record<string, CommandDocs>;
