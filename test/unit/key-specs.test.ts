import { describe, expect, it } from 'vitest';
import { keySpecsOf, keysAt, legacyKeyRange, type KeySpec } from '../../src/commands/key-specs';
import { commandKeys, keysFromSpecs } from '../../src/commands/command-keys';

const keyPositions = (specs: readonly KeySpec[], args: Buffer[]) => commandKeys({}, specs, args).map((k) => k.pos);
import { usageLine, type ArgumentSpec } from '../../src/commands/argument-spec';
import { CommandTableBuilder } from '../../src/commands/command-table';

const argv = (line: string) => line.split(' ').map((w) => Buffer.from(w));

describe('key specs', () => {
  it('derive COMMAND INFO first/last/step the way Redis merges them', () => {
    expect(legacyKeyRange([keysAt(1, ['RO'])])).toEqual([1, 1, 1]);
    expect(legacyKeyRange([keysAt(1, ['RW'], -1, 2)])).toEqual([1, -1, 2]);
    // COPY/RENAME: two adjacent single-key specs become one range.
    expect(legacyKeyRange([keysAt(1, ['RO']), keysAt(2, ['OW'])])).toEqual([1, 2, 1]);
    // Not adjacent: the second is left out (Redis marks such commands movablekeys).
    expect(legacyKeyRange([keysAt(1, ['RO']), keysAt(3, ['OW'])])).toEqual([1, 1, 1]);
    const keyword: KeySpec = { flags: ['RO'], beginSearch: { keyword: 'STREAMS', startFrom: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 2 } };
    expect(legacyKeyRange([keyword])).toEqual([0, 0, 0]);
    expect(legacyKeyRange([])).toEqual([0, 0, 0]);
  });

  it('find the keys of a command line', () => {
    expect(keyPositions([keysAt(1, ['RW'], -1, 2)], argv('MSET a 1 b 2'))).toEqual([1, 3]);
    expect(keyPositions([keysAt(1, ['RO']), keysAt(2, ['OW'])], argv('COPY a b REPLACE'))).toEqual([1, 2]);
    expect(keyPositions([keysAt(2, ['RO'])], argv('MEMORY USAGE k SAMPLES 5'))).toEqual([2]);
    const streams: KeySpec = { flags: ['RO'], beginSearch: { keyword: 'STREAMS', startFrom: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 2 } };
    expect(keyPositions([streams], argv('XREAD COUNT 2 STREAMS s1 s2 0 0'))).toEqual([4, 5]);
    const numkeys: KeySpec = { flags: ['RO'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } };
    expect(keyPositions([numkeys], argv('EVAL script 2 k1 k2 arg'))).toEqual([3, 4]);
  });

  it('follow the specs as Redis does: a spec that cannot be followed fails the whole search', () => {
    const numkeys: KeySpec = { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } };
    const store = keysAt(1, ['OW', 'update']);
    expect(keysFromSpecs([store, numkeys], argv('ZUNIONSTORE d 2 a b'))).toEqual([{ pos: 1, flags: ['OW', 'update'] }, { pos: 3, flags: ['RO', 'access'] }, { pos: 4, flags: ['RO', 'access'] }]);
    // More keys counted than given, a count string2ll refuses, zero keys: the specs cannot answer ...
    expect(keysFromSpecs([store, numkeys], argv('ZUNIONSTORE d 3 a b'))).toBeNull();
    expect(keysFromSpecs([store, numkeys], argv('ZUNIONSTORE d +1 a'))).toBeNull();
    expect(keysFromSpecs([numkeys], argv('EVAL s 0'))).toBeNull();
    // ... and Redis's genericGetKeys takes over: atoi's count, the counted keys first, no flags.
    expect(commandKeys({}, [store, numkeys], argv('ZUNIONSTORE d +1 a'))).toEqual([{ pos: 3, flags: [] }, { pos: 1, flags: [] }]);
    expect(commandKeys({}, [store, numkeys], argv('ZUNIONSTORE d 3 a b'))).toEqual([]);
    // The keyword search never looks at the last argument: a key must follow it.
    const streams: KeySpec = { flags: ['RO'], beginSearch: { keyword: 'STORE', startFrom: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } };
    expect(keysFromSpecs([keysAt(1, ['RO']), streams], argv('GEORADIUS k STORE'))).toEqual([{ pos: 1, flags: ['RO'] }]);
    expect(keysFromSpecs([keysAt(1, ['RO']), { ...streams, beginSearch: 'unknown' }], argv('SORT k'))).toBeNull();
  });

  it('take firstKey/lastKey/keyStep as a shorthand for one plain spec', () => {
    expect(keySpecsOf({ firstKey: 1, lastKey: -1, keyStep: 2 })).toEqual([keysAt(1, [], -1, 2)]);
    expect(keySpecsOf({ firstKey: 0 })).toEqual([]);
  });

  it('refuse a spec whose shorthand disagrees with its key specs, or a key argument without a spec', () => {
    const base = { arity: -2, group: 'generic', since: '1.0.0', summary: 's' } as const;
    const builder = new CommandTableBuilder();
    expect(() => builder.add({ ...base, name: 'a', firstKey: 1, lastKey: 1, keyStep: 1, keySpecs: [keysAt(2, ['RO'])] }, () => {}, 'test'))
      .toThrow('disagree with its key specs');
    expect(() => builder.add({ ...base, name: 'b', keySpecs: [keysAt(1, ['RO'])], arguments: [{ name: 'k', type: 'key', keySpecIndex: 1 }] }, () => {}, 'test'))
      .toThrow('names key spec 1');
  });
});

describe('usage line of an argument tree', () => {
  it('reads as redis-cli shows it', () => {
    const args: ArgumentSpec[] = [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'condition', type: 'oneof', optional: true, arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'data', type: 'block', multiple: true, arguments: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] },
    ];
    expect(usageLine(args)).toBe('key [NX|XX] [COUNT count] field value [field value ...]');
  });
});
