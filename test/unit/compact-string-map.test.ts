import { describe, expect, it } from 'vitest';
import { CompactStringMap } from '../../src/api/compact-string-map';

/** A deterministic PRNG, so a failing sequence can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

/** Every byte value, lengths around the 1-byte / 5-byte length switch and the big-record cut. */
function text(rand: () => number): string {
  const r = rand();
  const len = r < 0.6 ? Math.floor(rand() * 24) : r < 0.9 ? 250 + Math.floor(rand() * 10) : r < 0.98 ? 1000 + Math.floor(rand() * 3000) : 9000 + Math.floor(rand() * 9000);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rand() * 256));
  return s;
}

function expectSame(map: CompactStringMap, model: Map<string, string>): void {
  expect(map.size).toBe(model.size);
  const seen = new Map<string, string>();
  map.forEach((value, field) => seen.set(field, value));
  expect(seen.size).toBe(model.size);
  for (const [field, value] of model) expect(seen.get(field)).toBe(value);
}

describe('CompactStringMap against a Map model', () => {
  it('agrees on every operation of a random sequence (binary fields, long and big values)', () => {
    const rand = prng(7);
    const map = new CompactStringMap();
    const model = new Map<string, string>();
    const fields: string[] = [];
    for (let step = 0; step < 20_000; step++) {
      const r = rand();
      // Reuse known fields often, so updates and deletes hit.
      const field = fields.length > 0 && rand() < 0.7 ? fields[Math.floor(rand() * fields.length)] : text(rand).slice(0, 40);
      if (r < 0.55) {
        const value = text(rand);
        // Half the writes come as bytes (a command's arguments): both forms must agree.
        const added = rand() < 0.5 ? map.set(field, value) : map.setBytes(Buffer.from(field, 'latin1'), Buffer.from(value, 'latin1'));
        expect(added).toBe(!model.has(field));
        model.set(field, value);
        fields.push(field);
      } else if (r < 0.8) {
        expect(map.delete(field)).toBe(model.delete(field));
      } else {
        expect(map.get(field)).toBe(model.get(field));
        expect(map.has(field)).toBe(model.has(field));
        expect(map.findBytes(Buffer.from(field, 'latin1'))).toBe(map.find(field));
      }
      if (step % 2000 === 0) expectSame(map, model);
    }
    expectSame(map, model);
  });

  it('grows to 100,000 fields, compacts slabs under rewrites, shrinks after deletes', () => {
    const map = new CompactStringMap();
    for (let i = 0; i < 100_000; i++) map.set(`field:${i}`, 'v'.repeat(16));
    expect(map.size).toBe(100_000);
    const full = map.memoryBytes;
    // Rewriting every value with another length leaves the old records as garbage: compaction
    // keeps the slabs within about twice the live bytes.
    for (let round = 0; round < 4; round++) for (let i = 0; i < 100_000; i++) map.set(`field:${i}`, String(round).repeat(17 + round));
    expect(map.memoryBytes).toBeLessThan(full * 2.5);
    for (let i = 0; i < 100_000; i++) expect(map.get(`field:${i}`)).toBe('3'.repeat(20));
    for (let i = 0; i < 99_990; i++) expect(map.delete(`field:${i}`)).toBe(true);
    expect(map.size).toBe(10);
    expect(map.memoryBytes).toBeLessThan(full / 20);
    const left: string[] = [];
    map.forEach((_value, field) => left.push(field));
    expect(left.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `field:${99_990 + i}`).sort());
  });

  it('walks live: entries present throughout are visited even when others come and go', () => {
    const map = new CompactStringMap();
    for (let i = 0; i < 1000; i++) map.set(`keep:${i}`, 'x');
    for (let i = 0; i < 20_000; i++) map.set(`drop:${i}`, 'y');
    const seen = new Set<string>();
    let n = 0;
    const generation = map.generation;
    for (const [field] of map.entries()) {
      seen.add(field);
      // Deleting the drop fields shrinks (renumbers) the table mid-walk; adding grows it.
      if (n < 20_000) map.delete(`drop:${n}`);
      if (n < 3000 && n % 3 === 0) map.set(`new:${n}`, 'z');
      n++;
    }
    expect(map.generation).toBeGreaterThan(generation);
    for (let i = 0; i < 1000; i++) expect(seen.has(`keep:${i}`)).toBe(true);
  });

  it('gives byte ranges, random entries and independent clones', () => {
    const map = new CompactStringMap();
    map.set('a', 'hello');
    map.set('\u00ff\u0000b', '');
    const i = map.find('a');
    map.valueRange(i);
    expect(map.rangeBuffer.latin1Slice(map.rangeStart, map.rangeEnd)).toBe('hello');
    map.fieldRange(map.find('\u00ff\u0000b'));
    expect([...map.rangeBuffer.subarray(map.rangeStart, map.rangeEnd)]).toEqual([255, 0, 98]);
    expect(map.find('missing')).toBe(-1);
    const picks = new Set<string>();
    for (let k = 0; k < 200; k++) picks.add(map.fieldAt(map.randomEntry()));
    expect(picks.size).toBe(2);
    const copy = map.clone();
    copy.set('a', 'changed');
    copy.delete('\u00ff\u0000b');
    expect(map.get('a')).toBe('hello');
    expect(map.get('\u00ff\u0000b')).toBe('');
    expect(copy.size).toBe(1);
    expect(new CompactStringMap().randomEntry()).toBe(-1);
  });
});
