import { describe, expect, it } from 'vitest';
import { QuickListNode } from '../../plugins/lists/packed-node';

const element = (i: number): string => `e${String(i).padStart(15, '0')}`;

describe('list nodes cut from a shared slab', () => {
  it('puts small nodes in one shared ArrayBuffer, each its own bytes', () => {
    const a = new QuickListNode([element(1)]);
    const b = new QuickListNode([element(2)]);
    expect(a.buf.buffer).toBe(b.buf.buffer);
    expect(a.buf.byteOffset + a.buf.length).toBeLessThanOrEqual(b.buf.byteOffset);
    expect(a.toArray()).toEqual([element(1)]);
    expect(b.toArray()).toEqual([element(2)]);
  });

  it('widens the latest slice in place as a node fills, leaving no copy behind', () => {
    new QuickListNode([element(0)]); // not the first slice of the slab
    const node = new QuickListNode([element(0)]);
    const start = node.buf.byteOffset;
    const slab = node.buf.buffer;
    for (let i = 1; i < 10; i++) node.pushTail(element(i));
    // This file's module is fresh, so the slab has room: the node must have stayed where it began.
    expect(node.buf.buffer).toBe(slab);
    expect(node.buf.byteOffset).toBe(start);
    expect(node.buf.length).toBeGreaterThan(10 * 18);
    expect(node.toArray()).toEqual(Array.from({ length: 10 }, (_, i) => element(i)));
  });

  it('keeps interleaved nodes intact when they grow out of their slices', () => {
    const nodes = Array.from({ length: 50 }, (_, n) => new QuickListNode([`${n}:0`]));
    for (let i = 1; i < 40; i++) {
      nodes.forEach((node, n) => {
        if (i % 2 === 0) node.pushTail(`${n}:${i}`);
        else node.pushHead(`${n}:${i}`);
      });
    }
    nodes.forEach((node, n) => {
      const heads = Array.from({ length: 20 }, (_, k) => `${n}:${39 - 2 * k}`);
      const tails = Array.from({ length: 20 }, (_, k) => `${n}:${2 * k}`);
      expect(node.toArray()).toEqual([...heads, ...tails]);
    });
  });

  it('gives a node larger than a slab piece memory of its own', () => {
    const big = new QuickListNode(Array.from({ length: 100 }, (_, i) => element(i)));
    const small = new QuickListNode([element(0)]);
    expect(big.buf.buffer).not.toBe(small.buf.buffer);
    expect(big.buf.byteOffset).toBe(0);
    expect(big.buf.buffer.byteLength).toBe(big.buf.length);
  });
});
