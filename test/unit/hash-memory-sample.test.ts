import { describe, expect, it } from 'vitest';
import { HashValue } from '../../plugins/hashes/hash-value';
import { hashDataType } from '../../plugins/hashes/hash-type';

const MAX_ENTRIES = 4;
const MAX_VALUE = 64;

/** The estimate of a hash with nothing cached: a copy in the same order, measured afresh. */
function fresh(hash: HashValue): number {
  return hashDataType.memoryUsage!(hash.clone());
}

/**
 * A hashtable hash's memory figure is kept as it changes (CompactStringMap counts its bytes):
 * after every kind of write it must equal a fresh measurement of a copy.
 */
describe('hash memory figure', () => {
  it('matches a fresh measurement after appends, updates of sampled and other fields, deletes', () => {
    const hash = new HashValue();
    const check = () => expect(hashDataType.memoryUsage!(hash)).toBe(fresh(hash));
    // Converted by a long value while small: the sample covers the whole table at first.
    hash.set('f0', 'x'.repeat(100), MAX_ENTRIES, MAX_VALUE);
    expect(hash.isListpack).toBe(false);
    check();
    for (let i = 1; i < 40; i++) {
      hash.set(`f${i}`, 'v'.repeat(i), MAX_ENTRIES, MAX_VALUE);
      check();
    }
    // An update of a sampled field changes the sample's bytes; of a later one, not.
    hash.set('f2', 'y'.repeat(300), MAX_ENTRIES, MAX_VALUE);
    check();
    hash.set('f30', 'z'.repeat(300), MAX_ENTRIES, MAX_VALUE);
    check();
    // A delete moves a later entry into the sample.
    expect(hash.delete('f0')).toBe(true);
    check();
    hash.appendNew('g', 'w'.repeat(50));
    check();
    for (let i = 1; i < 40; i++) {
      hash.delete(`f${i}`);
      check();
    }
    expect(hash.size).toBe(1);
    hash.set('h', 'long value '.repeat(20), MAX_ENTRIES, MAX_VALUE);
    check();
  });
});
