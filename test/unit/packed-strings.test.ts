import { describe, expect, it } from 'vitest';
import { PackedStrings } from 'redix-server';

/** A seeded generator, so a failing random sequence replays the same way. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('PackedStrings', () => {
  it('appends, reads by index and position, and iterates in order', () => {
    const p = new PackedStrings();
    expect(p.length).toBe(0);
    expect(p.first()).toBe(-1);
    for (const s of ['a', '', 'bcd', '\x00\xff\x80']) p.push(s);
    expect(p.length).toBe(4);
    expect(p.toArray()).toEqual(['a', '', 'bcd', '\x00\xff\x80']);
    expect([...p]).toEqual(['a', '', 'bcd', '\x00\xff\x80']);
    expect(p.get(2)).toBe('bcd');
    expect(p.get(4)).toBeUndefined();
    expect(p.get(-1)).toBeUndefined();
    const positions: number[] = [];
    for (let pos = p.first(); pos >= 0; pos = p.next(pos)) positions.push(pos);
    // One prefix byte per item below 128 bytes: 1+1, 1+0, 1+3, 1+3.
    expect(positions).toEqual([0, 2, 3, 7]);
    expect(p.byteLength).toBe(11);
    expect(p.itemAt(3)).toBe('bcd');
    expect(p.lengthAt(3)).toBe(3);
    const seen: [string, number][] = [];
    p.forEach((item, i) => seen.push([item, i]));
    expect(seen).toEqual([['a', 0], ['', 1], ['bcd', 2], ['\x00\xff\x80', 3]]);
  });

  it('keeps items of every length, with multi-byte length prefixes', () => {
    const lengths = [0, 1, 127, 128, 129, 16383, 16384, 70000, 2097152];
    const items = lengths.map((n, i) => String.fromCharCode(65 + i).repeat(n));
    const p = PackedStrings.from(items);
    expect(p.toArray()).toEqual(items);
    expect(p.indexOf(items[5])).toBe(5);
    expect(p.lengthAt(p.positionOf(8))).toBe(2097152);
    // Prefixes: 1 byte below 128, 2 below 16384, 3 below 2^21, 4 after.
    expect(p.byteLength).toBe(lengths.reduce((a, b) => a + b, 0) + 1 + 1 + 1 + 2 + 2 + 2 + 3 + 3 + 4);
  });

  it('finds with a skip, comparing whole items only', () => {
    // field/value pairs where a value equals another pair's field, and one holds it as a prefix.
    const p = PackedStrings.from(['f1', 'f2', 'f2', 'v', 'f22', 'x']);
    expect(p.find('f2', 0, 1)).toBe(p.positionOf(2));
    expect(p.find('f2')).toBe(p.positionOf(1));
    expect(p.find('v', 0, 1)).toBe(-1);
    expect(p.find('f22', 0, 1)).toBe(p.positionOf(4));
    expect(p.find('f', 0, 1)).toBe(-1);
    expect(p.find('x', p.positionOf(1), 1)).toBe(p.positionOf(5));
    expect(p.equalsAt(p.positionOf(3), 'v')).toBe(true);
    expect(p.equalsAt(p.positionOf(3), 'vv')).toBe(false);
    expect(p.indexOf('f22')).toBe(4);
    expect(p.indexOf('nope')).toBe(-1);
  });

  it('replaces and deletes at positions, at either end and in the middle', () => {
    const p = PackedStrings.from(['a', 'b', 'c', 'd']);
    p.replaceAt(p.positionOf(1), 'B'.repeat(200));
    p.replaceAt(p.positionOf(3), 'D');
    p.replaceAt(0, '');
    expect(p.toArray()).toEqual(['', 'B'.repeat(200), 'c', 'D']);
    expect(p.deleteAt(p.positionOf(1), 2)).toBe(2);
    expect(p.toArray()).toEqual(['', 'D']);
    expect(p.deleteAt(p.positionOf(1), 5)).toBe(1);
    expect(p.deleteAt(0)).toBe(1);
    expect(p.length).toBe(0);
    expect(p.byteLength).toBe(0);
    p.push('again');
    expect(p.toArray()).toEqual(['again']);
    p.clear();
    expect(p.toArray()).toEqual([]);
  });

  it('clones independently and reports its size', () => {
    const p = PackedStrings.from(['one', 'two']);
    const copy = p.clone();
    p.replaceAt(0, 'changed');
    p.push('three');
    expect(copy.toArray()).toEqual(['one', 'two']);
    expect(p.toArray()).toEqual(['changed', 'two', 'three']);
    // Object, string header, then the bytes rounded up to 8.
    expect(copy.memoryBytes).toBe(48 + 16 + 8);
    expect(PackedStrings.from(['x'.repeat(100)]).memoryBytes).toBe(48 + 16 + 104);
  });

  it('behaves as an array under random pushes, replaces and deletes', () => {
    const next = random(7);
    const p = new PackedStrings();
    const model: string[] = [];
    for (let step = 0; step < 3000; step++) {
      const r = next();
      const item = String.fromCharCode(Math.floor(next() * 256)).repeat(Math.floor(next() * 3) === 0 ? 130 + Math.floor(next() * 50) : Math.floor(next() * 5));
      if (r < 0.5 || model.length === 0) {
        p.push(item);
        model.push(item);
      } else {
        const index = Math.floor(next() * model.length);
        if (r < 0.75) {
          p.replaceAt(p.positionOf(index), item);
          model[index] = item;
        } else {
          const n = 1 + Math.floor(next() * 3);
          expect(p.deleteAt(p.positionOf(index), n)).toBe(Math.min(n, model.length - index));
          model.splice(index, n);
        }
      }
      if (step % 100 === 0) p.compact();
      expect(p.length).toBe(model.length);
    }
    expect(p.toArray()).toEqual(model);
    for (let i = 0; i < model.length; i += 17) expect(p.get(i)).toBe(model[i]);
  });
});
