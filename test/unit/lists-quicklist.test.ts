import { describe, expect, it } from 'vitest';
import { encodeListpack } from '../../src/api/persistence';
import { QuickList } from '../../plugins/lists/quicklist';
import { listpackEntryBytes } from '../../plugins/lists/listpack-size';

/** A tiny deterministic PRNG (mulberry32), so failures replay. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every node's tracked size is its real listpack size, no node is empty, the length adds up. */
function checkInvariants(list: QuickList, model: string[]): void {
  expect(list.toArray()).toEqual(model);
  expect(list.length).toBe(model.length);
  let total = 0;
  for (const node of list.nodes) {
    expect(node.items.length).toBeGreaterThan(0);
    expect(node.sz).toBe(encodeListpack(node.items).length);
    total += node.items.length;
  }
  expect(total).toBe(model.length);
}

describe('listpackEntryBytes', () => {
  it('matches the listpack encoder for every integer width and string length class', () => {
    const samples = ['0', '127', '128', '-1', '4095', '-4096', '4096', '32767', '-32768', '32768', '8388607', '8388608', '-8388609',
      '2147483647', '2147483648', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '01', '-0', '+1', '',
      'a', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(127), 'x'.repeat(4095), 'x'.repeat(4096), 'x'.repeat(20000)];
    for (const s of samples) expect(listpackEntryBytes(s), s.slice(0, 20)).toBe(encodeListpack([s]).length - 7);
  });
});

describe('QuickList', () => {
  it('splits nodes at list-max-listpack-size: 8 kB for -2, a count for positive fills', () => {
    const bySize = new QuickList(-2);
    for (let i = 0; i < 1000; i++) bySize.pushTail('x'.repeat(30));
    for (const node of bySize.nodes.slice(0, -1)) expect(node.sz).toBeLessThanOrEqual(8192);
    expect(bySize.nodes.length).toBeGreaterThan(3);
    const byCount = new QuickList(5);
    for (let i = 0; i < 23; i++) byCount.pushHead(String(i));
    expect(byCount.nodes.map((n) => n.items.length)).toEqual([3, 5, 5, 5, 5]);
  });

  it('indexes and walks ranges from either end', () => {
    const list = new QuickList(4);
    const model: string[] = [];
    for (let i = 0; i < 50; i++) {
      list.pushTail(`e${i}`);
      model.push(`e${i}`);
    }
    for (let i = -50; i < 50; i++) expect(list.get(i)).toBe(model.at(i));
    expect(list.get(50)).toBeUndefined();
    expect(list.get(-51)).toBeUndefined();
    const seen: string[] = [];
    list.forRange(7, 33, (s) => seen.push(s));
    expect(seen).toEqual(model.slice(7, 34));
    const back: string[] = [];
    list.forRangeReverse(7, 33, (s) => back.push(s));
    expect(back).toEqual(model.slice(7, 34).reverse());
  });

  it('packs elements of every length class at both ends (1-, 2- and 5-byte lengths)', () => {
    const list = new QuickList(-5);
    const model: string[] = [];
    for (const n of [0, 1, 127, 128, 16383, 16384, 70000, 5]) {
      const v = String.fromCharCode(97 + (n % 26)).repeat(n);
      list.pushTail(v);
      model.push(v);
      list.pushHead(v + 'h');
      model.unshift(v + 'h');
    }
    checkInvariants(list, model);
    for (let i = 0; i < model.length; i++) expect(list.get(i)).toBe(model[i]);
    while (model.length > 0) {
      expect(list.popTail()).toBe(model.pop());
      if (model.length > 0) expect(list.popHead()).toBe(model.shift());
    }
    expect(list.length).toBe(0);
  });

  for (const fill of [-2, -1, 3, 16, 128]) {
    it(`keeps its invariants through random operations (fill ${fill})`, () => {
      const rnd = prng(fill + 1000);
      const list = new QuickList(fill);
      const model: string[] = [];
      const value = (): string => {
        const r = rnd();
        if (r < 0.3) return String(Math.floor(rnd() * 100000) - 50000);
        return 'v'.repeat(Math.floor(rnd() * (r < 0.9 ? 40 : 700)));
      };
      for (let step = 0; step < 1500; step++) {
        const op = rnd();
        const at = Math.floor(rnd() * Math.max(1, model.length));
        if (op < 0.25) {
          const v = value();
          list.pushTail(v);
          model.push(v);
        } else if (op < 0.45) {
          const v = value();
          list.pushHead(v);
          model.unshift(v);
        } else if (op < 0.55 && model.length > 0) {
          expect(list.popHead()).toBe(model.shift());
        } else if (op < 0.62 && model.length > 0) {
          expect(list.popTail()).toBe(model.pop());
        } else if (op < 0.8 && model.length > 0) {
          const v = value();
          const after = rnd() < 0.5;
          list.insertAt(at, v, after);
          model.splice(after ? at + 1 : at, 0, v);
        } else if (op < 0.86 && model.length > 0) {
          const v = value();
          list.set(at, v);
          model[at] = v;
        } else if (op < 0.9 && model.length > 0) {
          const count = Math.floor(rnd() * 10);
          list.deleteRange(at, count);
          model.splice(at, count);
        } else if (op < 0.95 && model.length > 0) {
          const target = model[at];
          const max = Math.floor(rnd() * 3);
          const fromTail = rnd() < 0.5;
          let removed = 0;
          if (!fromTail) {
            for (let i = 0; i < model.length; i++) {
              if (model[i] === target && (max === 0 || removed < max)) {
                model.splice(i--, 1);
                removed++;
              }
            }
          } else {
            for (let i = model.length - 1; i >= 0; i--) {
              if (model[i] === target && (max === 0 || removed < max)) {
                model.splice(i, 1);
                removed++;
              }
            }
          }
          expect(list.removeEqual(target, max, fromTail)).toBe(removed);
        }
        if (step % 50 === 0) checkInvariants(list, model);
      }
      checkInvariants(list, model);
      const copy = list.clone();
      copy.pushTail('only in the copy');
      checkInvariants(list, model);
    });
  }
});
