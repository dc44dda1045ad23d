import { describe, expect, it } from 'vitest';
import { StampedMap } from '../../src/keyspace/stamped-map';

describe('StampedMap', () => {
  it('keeps each key its own value and stamp past the first stamp array, across shards', () => {
    const map = new StampedMap<string>(64);
    for (let i = 0; i < 3000; i++) expect(map.set(`k${i}`, `v${i}`, i * 7)).toBe(true);
    expect(map.size).toBe(3000);
    expect(map.shardCount).toBeGreaterThan(1);
    for (let i = 0; i < 3000; i++) {
      expect(map.get(`k${i}`)).toBe(`v${i}`);
      expect(map.stampOf(`k${i}`)).toBe(i * 7);
    }
    expect(map.get('missing')).toBeUndefined();
    expect(map.stampOf('missing')).toBe(-1);
    expect(map.slotOf('missing')).toBe(-1);
  });

  it('overwrites keep the stamp unless restamped', () => {
    const map = new StampedMap<string>();
    map.set('a', 'one', 10);
    expect(map.set('a', 'two', 20, false)).toBe(false);
    expect(map.get('a')).toBe('two');
    expect(map.stampOf('a')).toBe(10);
    expect(map.set('a', 'three', 30)).toBe(false);
    expect(map.stampOf('a')).toBe(30);
    const slot = map.slotOf('a');
    map.setStampAt(slot, 0xffffff);
    expect(map.stampAt(slot)).toBe(0xffffff);
    expect(map.stampOf('a')).toBe(0xffffff);
  });

  it('a deleted key frees its slot for the next new key, which takes its own stamp', () => {
    const map = new StampedMap<string>();
    map.set('a', 'A', 1);
    map.set('b', 'B', 2);
    const slotOfA = map.slotOf('a');
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    expect(map.has('a')).toBe(false);
    expect(map.stampOf('a')).toBe(-1);
    map.set('c', 'C', 3);
    expect(map.slotOf('c')).toBe(slotOfA);
    expect(map.get('c')).toBe('C');
    expect(map.stampOf('c')).toBe(3);
    expect(map.get('b')).toBe('B');
    expect(map.size).toBe(2);
  });

  it('iterates live: a key added during an iteration is visited with its value, a deleted one is not', () => {
    const map = new StampedMap<number>();
    map.set('a', 1, 0);
    map.set('b', 2, 0);
    map.set('c', 3, 0);
    const seen: [string, number][] = [];
    for (const entry of map.entries()) {
      seen.push(entry);
      if (entry[0] === 'a') {
        map.delete('b');
        // Reuses b's slot: reached only through d.
        map.set('d', 4, 0);
      }
    }
    expect(seen).toEqual([['a', 1], ['c', 3], ['d', 4]]);
    const each: string[] = [];
    map.forEach((value, key) => each.push(`${key}=${value}`));
    expect(each).toEqual(['a=1', 'c=3', 'd=4']);
    expect([...map.keys()]).toEqual(['a', 'c', 'd']);
  });
});
