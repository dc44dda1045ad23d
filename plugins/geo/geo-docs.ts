import type { CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS (printed by test/tools/spec-from-redis.ts). Spread into each
 * command's `@Command` spec.
 */
export const GEO_DOCS = {
  geoadd: {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added the `CH`, `NX` and `XX` options.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'condition', type: 'oneof', since: '6.2.0', optional: true, arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
      ] },
      { name: 'change', type: 'pure-token', token: 'CH', since: '6.2.0', optional: true },
      { name: 'longitude_latitude_member', type: 'block', multiple: true, arguments: [
        { name: 'longitude', type: 'double' },
        { name: 'latitude', type: 'double' },
        { name: 'member', type: 'string' },
      ] },
    ],
  },
  geopos: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', multiple: true },
    ],
  },
  geodist: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member1', type: 'string' },
      { name: 'member2', type: 'string' },
      { name: 'unit', type: 'oneof', optional: true, arguments: [
        { name: 'm', type: 'pure-token', token: 'M' },
        { name: 'km', type: 'pure-token', token: 'KM' },
        { name: 'ft', type: 'pure-token', token: 'FT' },
        { name: 'mi', type: 'pure-token', token: 'MI' },
      ] },
    ],
  },
  geohash: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', multiple: true },
    ],
  },
  geosearch: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added support for uppercase unit names.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'from', type: 'oneof', arguments: [
        { name: 'member', type: 'string', token: 'FROMMEMBER' },
        { name: 'longitude_latitude', type: 'block', token: 'FROMLONLAT', arguments: [
          { name: 'longitude', type: 'double' },
          { name: 'latitude', type: 'double' },
        ] },
      ] },
      { name: 'by', type: 'oneof', arguments: [
        { name: 'circle', type: 'block', arguments: [
          { name: 'radius', type: 'double', token: 'BYRADIUS' },
          { name: 'unit', type: 'oneof', arguments: [
            { name: 'm', type: 'pure-token', token: 'M' },
            { name: 'km', type: 'pure-token', token: 'KM' },
            { name: 'ft', type: 'pure-token', token: 'FT' },
            { name: 'mi', type: 'pure-token', token: 'MI' },
          ] },
        ] },
        { name: 'box', type: 'block', arguments: [
          { name: 'width', type: 'double', token: 'BYBOX' },
          { name: 'height', type: 'double' },
          { name: 'unit', type: 'oneof', arguments: [
            { name: 'm', type: 'pure-token', token: 'M' },
            { name: 'km', type: 'pure-token', token: 'KM' },
            { name: 'ft', type: 'pure-token', token: 'FT' },
            { name: 'mi', type: 'pure-token', token: 'MI' },
          ] },
        ] },
      ] },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
      { name: 'count', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer', token: 'COUNT' },
        { name: 'any', type: 'pure-token', token: 'ANY', optional: true },
      ] },
      { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
      { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
      { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
    ],
  },
  geosearchstore: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added support for uppercase unit names.'],
    ],
    arguments: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'source', type: 'key', keySpecIndex: 1 },
      { name: 'from', type: 'oneof', arguments: [
        { name: 'member', type: 'string', token: 'FROMMEMBER' },
        { name: 'longitude_latitude', type: 'block', token: 'FROMLONLAT', arguments: [
          { name: 'longitude', type: 'double' },
          { name: 'latitude', type: 'double' },
        ] },
      ] },
      { name: 'by', type: 'oneof', arguments: [
        { name: 'circle', type: 'block', arguments: [
          { name: 'radius', type: 'double', token: 'BYRADIUS' },
          { name: 'unit', type: 'oneof', arguments: [
            { name: 'm', type: 'pure-token', token: 'M' },
            { name: 'km', type: 'pure-token', token: 'KM' },
            { name: 'ft', type: 'pure-token', token: 'FT' },
            { name: 'mi', type: 'pure-token', token: 'MI' },
          ] },
        ] },
        { name: 'box', type: 'block', arguments: [
          { name: 'width', type: 'double', token: 'BYBOX' },
          { name: 'height', type: 'double' },
          { name: 'unit', type: 'oneof', arguments: [
            { name: 'm', type: 'pure-token', token: 'M' },
            { name: 'km', type: 'pure-token', token: 'KM' },
            { name: 'ft', type: 'pure-token', token: 'FT' },
            { name: 'mi', type: 'pure-token', token: 'MI' },
          ] },
        ] },
      ] },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
      { name: 'count', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer', token: 'COUNT' },
        { name: 'any', type: 'pure-token', token: 'ANY', optional: true },
      ] },
      { name: 'storedist', type: 'pure-token', token: 'STOREDIST', optional: true },
    ],
  },
  georadius: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['OW', 'update'], beginSearch: { keyword: 'STORE', startFrom: 6 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['OW', 'update'], beginSearch: { keyword: 'STOREDIST', startFrom: 6 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added the `ANY` option for `COUNT`.'],
      ['7.0.0', 'Added support for uppercase unit names.'],
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'longitude', type: 'double' },
      { name: 'latitude', type: 'double' },
      { name: 'radius', type: 'double' },
      { name: 'unit', type: 'oneof', arguments: [
        { name: 'm', type: 'pure-token', token: 'M' },
        { name: 'km', type: 'pure-token', token: 'KM' },
        { name: 'ft', type: 'pure-token', token: 'FT' },
        { name: 'mi', type: 'pure-token', token: 'MI' },
      ] },
      { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
      { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
      { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
      { name: 'count', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer', token: 'COUNT' },
        { name: 'any', type: 'pure-token', token: 'ANY', since: '6.2.0', optional: true },
      ] },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
      { name: 'key', type: 'key', keySpecIndex: 1, token: 'STORE', optional: true },
      { name: 'key', type: 'key', keySpecIndex: 2, token: 'STOREDIST', optional: true },
    ],
  },
  georadius_ro: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added the `ANY` option for `COUNT`.'],
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` with the `BYRADIUS` argument',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'longitude', type: 'double' },
      { name: 'latitude', type: 'double' },
      { name: 'radius', type: 'double' },
      { name: 'unit', type: 'oneof', arguments: [
        { name: 'm', type: 'pure-token', token: 'M' },
        { name: 'km', type: 'pure-token', token: 'KM' },
        { name: 'ft', type: 'pure-token', token: 'FT' },
        { name: 'mi', type: 'pure-token', token: 'MI' },
      ] },
      { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
      { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
      { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
      { name: 'count', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer', token: 'COUNT' },
        { name: 'any', type: 'pure-token', token: 'ANY', since: '6.2.0', optional: true },
      ] },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
    ],
  },
  georadiusbymember: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['OW', 'update'], beginSearch: { keyword: 'STORE', startFrom: 5 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['OW', 'update'], beginSearch: { keyword: 'STOREDIST', startFrom: 5 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added support for uppercase unit names.'],
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
      { name: 'radius', type: 'double' },
      { name: 'unit', type: 'oneof', arguments: [
        { name: 'm', type: 'pure-token', token: 'M' },
        { name: 'km', type: 'pure-token', token: 'KM' },
        { name: 'ft', type: 'pure-token', token: 'FT' },
        { name: 'mi', type: 'pure-token', token: 'MI' },
      ] },
      { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
      { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
      { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
      { name: 'count', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer', token: 'COUNT' },
        { name: 'any', type: 'pure-token', token: 'ANY', optional: true },
      ] },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
      { name: 'key', type: 'key', keySpecIndex: 1, token: 'STORE', optional: true },
      { name: 'key', type: 'key', keySpecIndex: 2, token: 'STOREDIST', optional: true },
    ],
  },
  georadiusbymember_ro: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
      { name: 'radius', type: 'double' },
      { name: 'unit', type: 'oneof', arguments: [
        { name: 'm', type: 'pure-token', token: 'M' },
        { name: 'km', type: 'pure-token', token: 'KM' },
        { name: 'ft', type: 'pure-token', token: 'FT' },
        { name: 'mi', type: 'pure-token', token: 'MI' },
      ] },
      { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
      { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
      { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
      { name: 'count', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer', token: 'COUNT' },
        { name: 'any', type: 'pure-token', token: 'ANY', optional: true },
      ] },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
    ],
  },
} satisfies Record<string, CommandDocs>;
