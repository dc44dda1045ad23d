import type { CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the bitmaps plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const BITMAPS_DOCS = {
  setbit: {
    keySpecs: [
      { flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'offset', type: 'integer' },
      { name: 'value', type: 'integer' },
    ],
  },
  getbit: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'offset', type: 'integer' },
    ],
  },
  bitcount: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added the `BYTE|BIT` option.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'index', type: 'block', optional: true, arguments: [
        { name: 'start', type: 'integer' },
        { name: 'end', type: 'integer' },
        { name: 'index_unit', type: 'oneof', since: '7.0.0', optional: true, arguments: [
          { name: 'byte', type: 'pure-token', token: 'BYTE' },
          { name: 'bit', type: 'pure-token', token: 'BIT' },
        ] },
      ] },
    ],
  },
  bitpos: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added the `BYTE|BIT` option.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'bit', type: 'integer' },
      { name: 'index', type: 'block', optional: true, arguments: [
        { name: 'start', type: 'integer' },
        { name: 'end_index', type: 'block', optional: true, arguments: [
          { name: 'end', type: 'integer' },
          { name: 'index_unit', type: 'oneof', since: '7.0.0', optional: true, arguments: [
            { name: 'byte', type: 'pure-token', token: 'BYTE' },
            { name: 'bit', type: 'pure-token', token: 'BIT' },
          ] },
        ] },
      ] },
    ],
  },
  bitop: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 3 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'operation', type: 'string' },
      { name: 'destkey', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
    ],
  },
  bitfield: {
    keySpecs: [
      { notes: 'This command allows both access and modification of the key', flags: ['RW', 'access', 'update', 'variable_flags'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'operation', type: 'oneof', optional: true, multiple: true, arguments: [
        { name: 'encoding_offset', type: 'block', token: 'GET', arguments: [
          { name: 'encoding', type: 'string' },
          { name: 'offset', type: 'integer' },
        ] },
        { name: 'write', type: 'block', arguments: [
          { name: 'wrap_sat_fail', type: 'oneof', token: 'OVERFLOW', optional: true, arguments: [
            { name: 'wrap', type: 'pure-token', token: 'WRAP' },
            { name: 'sat', type: 'pure-token', token: 'SAT' },
            { name: 'fail', type: 'pure-token', token: 'FAIL' },
          ] },
          { name: 'write_operation', type: 'oneof', arguments: [
            { name: 'encoding_offset_value', type: 'block', token: 'SET', arguments: [
              { name: 'encoding', type: 'string' },
              { name: 'offset', type: 'integer' },
              { name: 'value', type: 'integer' },
            ] },
            { name: 'encoding_offset_increment', type: 'block', token: 'INCRBY', arguments: [
              { name: 'encoding', type: 'string' },
              { name: 'offset', type: 'integer' },
              { name: 'increment', type: 'integer' },
            ] },
          ] },
        ] },
      ] },
    ],
  },
  bitfield_ro: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'encoding_offset', type: 'block', token: 'GET', optional: true, multiple: true, multipleToken: true, arguments: [
        { name: 'encoding', type: 'string' },
        { name: 'offset', type: 'integer' },
      ] },
    ],
  },
} satisfies Record<string, CommandDocs>;
