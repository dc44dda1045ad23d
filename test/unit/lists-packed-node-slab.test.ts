import { describe, expect, it } from 'vitest';
import { QuickListNode } from '../../plugins/lists/packed-node';

const element = (i: number): string => `e${String(i).padStart(15, '0')}`;

describe('list nodes cut from a shared slab', () => {
  it('puts small nodes in one shared Buffer (no view object per node), each its own region', () => {
    const a = new QuickListNode([element(1)]);
    const b = new QuickListNode([element(2)]);
    expect(a.buf).toBe(b.buf);
    expect(a.end).toBeLessThanOrEqual(b.base);
    expect(a.toArray()).toEqual([element(1)]);
    expect(b.toArray()).toEqual([element(2)]);
  });

  it('widens the latest slice in place as a node fills, leaving no copy behind', () => {
    new QuickListNode([element(0)]); // not the first slice of the slab
    const node = new QuickListNode([element(0)]);
    const start = node.base;
    const slab = node.buf;
    for (let i = 1; i < 10; i++) node.pushTail(element(i));
    // This file's module is fresh, so the slab has room: the node must have stayed where it began.
    expect(node.buf).toBe(slab);
    expect(node.base).toBe(start);
    expect(node.end - node.base).toBeGreaterThan(10 * 18);
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

  it('keeps neighbours intact through shrink, clone and repack', () => {
    const nodes = Array.from({ length: 30 }, (_, n) => new QuickListNode(Array.from({ length: 5 }, (_, i) => `${n}:${i}`)));
    nodes.forEach((node, n) => {
      if (n % 3 === 0) node.shrink();
      if (n % 3 === 1) node.repack(['x', `${n}`]);
    });
    const clones = nodes.map((node) => node.clone());
    nodes.forEach((node, n) => node.pushHead(`h${n}`));
    nodes.forEach((node, n) => {
      const items = n % 3 === 1 ? ['x', `${n}`] : Array.from({ length: 5 }, (_, i) => `${n}:${i}`);
      expect(clones[n].toArray()).toEqual(items);
      expect(node.toArray()).toEqual([`h${n}`, ...items]);
    });
  });

  it('cuts full-size nodes from a large slab, grown and shrunk in place; huge ones get their own memory', () => {
    const small = new QuickListNode([element(0)]);
    const mid = new QuickListNode(Array.from({ length: 100 }, (_, i) => element(i)));
    expect(mid.buf).not.toBe(small.buf);
    const { buf, base } = mid;
    for (let i = 100; i < 400; i++) mid.pushTail(element(i));
    expect(mid.buf).toBe(buf);
    expect(mid.base).toBe(base);
    mid.shrink();
    expect(mid.end - mid.hi).toBe(1);
    expect(mid.toArray()).toEqual(Array.from({ length: 400 }, (_, i) => element(i)));
    const huge = new QuickListNode(Array.from({ length: 2000 }, (_, i) => element(i)));
    expect(huge.buf).not.toBe(mid.buf);
    expect(huge.base).toBe(0);
    expect(huge.buf.length).toBe(huge.end);
  });
});
