import { describe, expect, it } from 'vitest';
import { decodeListpack } from '../../src/api/persistence';
import { ElementReader, writeElement, writeIntElement, elementSize, intElementSize } from '../../plugins/streams/listpack-elements';
import { StreamNode } from '../../plugins/streams/stream-node';
import { StreamValue } from '../../plugins/streams/stream-value';
import { cloneStream } from '../../plugins/streams/stream-clone';
import { MAX_ID, ZERO_ID, formatId, parseId, type StreamId } from '../../plugins/streams/stream-id';
import { raxNodeCount } from '../../plugins/streams/rax-node-count';

const LIMITS = { maxBytes: 4096, maxEntries: 100 };
const id = (ms: number, seq = 0): StreamId => ({ ms: BigInt(ms), seq: BigInt(seq) });
const b = (s: string) => Buffer.from(s, 'latin1');

function ids(s: StreamValue, rev = false, start = ZERO_ID, end = MAX_ID): string[] {
  const it = s.iterate(start, end, rev);
  const out: string[] = [];
  while (it.next(true)) out.push(formatId(it.entry.id));
  return out;
}

describe('stream IDs', () => {
  it('parse as Redis does, strtoull quirks included', () => {
    expect(parseId('5-3', 0n, true)?.id).toEqual(id(5, 3));
    expect(parseId('5', 7n, true)?.id).toEqual(id(5, 7));
    expect(parseId('007-1', 0n, true)?.id).toEqual(id(7, 1));
    expect(parseId('+8-1', 0n, true)?.id).toEqual(id(8, 1));
    expect(parseId(' 9-1', 0n, true)?.id).toEqual(id(9, 1));
    expect(parseId('1--0', 0n, true)?.id).toEqual(id(1, 0));
    expect(parseId('1--1', 0n, true)).toBeNull();
    expect(parseId('18446744073709551615-18446744073709551615', 0n, true)?.id).toEqual(MAX_ID);
    expect(parseId('18446744073709551616', 0n, true)).toBeNull();
    expect(parseId('-', 0n, true)).toBeNull();
    expect(parseId('-', 0n, false)?.id).toEqual(ZERO_ID);
    expect(parseId('5-*', 0n, true)).toBeNull();
    expect(parseId('5-*', 0n, true, true)).toEqual({ id: id(5, 0), seqGiven: false });
    expect(parseId('', 0n, false)).toBeNull();
  });
});

describe('listpack elements', () => {
  it('round-trip integers of every width and strings, with the sizes they take', () => {
    const values: (number | bigint)[] = [0, 127, 128, -1, -4096, 4095, 4096, -32768, 32767, 32768, -8388608, 8388607, 8388608, 2147483647, -2147483649, 2n ** 62n, -(2n ** 63n)];
    const buf = Buffer.alloc(20000);
    let p = 0;
    for (const v of values) {
      const end = writeIntElement(buf, p, v);
      if (typeof v === 'number') expect(end - p).toBe(intElementSize(v));
      p = end;
    }
    const strings = ['', 'a', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), '12', '012', '-0', '99999999999999999999'];
    for (const s of strings) {
      const end = writeElement(buf, p, b(s));
      expect(end - p).toBe(elementSize(b(s)));
      p = end;
    }
    const r = new ElementReader();
    let q = 0;
    for (const v of values) {
      q = r.read(buf, q);
      expect(BigInt(r.int)).toBe(BigInt(v));
    }
    for (const s of strings) {
      q = r.read(buf, q);
      expect(r.bytes().toString('latin1')).toBe(s === '12' ? '12' : s);
    }
    expect(q).toBe(p);
  });
});

describe('stream nodes', () => {
  it('are real listpacks (master entry, delta IDs, SAMEFIELDS), read back as they were written', () => {
    const s = new StreamValue();
    s.append(id(10, 5), [b('a'), b('1'), b('b'), b('x')], LIMITS);
    s.append(id(11, 0), [b('a'), b('2'), b('b'), b('y')], LIMITS);
    s.append(id(11, 1), [b('c'), b('3')], LIMITS);
    const node = s.nodes[0];
    const lp = node.toListpack();
    // count, deleted, master fields, terminator, then entries: seq delta of 11-0 against 10-5 is -5.
    expect(decodeListpack(lp)).toEqual(['3', '0', '2', 'a', 'b', '0', '2', '0', '0', '1', 'x', '5', '2', '1', '-5', '2', 'y', '5', '0', '1', '-4', '1', 'c', '3', '6']);
    const copy = StreamNode.fromListpack(node.master, lp);
    expect(copy.toListpack().equals(lp)).toBe(true);
    expect(copy.lastId).toEqual(id(11, 1));
  });

  it('split by entries and bytes, iterate both ways over tombstones, delete whole nodes when emptied', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 250; i++) s.append(id(i), [b('f'), b(String(i))], LIMITS);
    expect(s.nodes.length).toBe(3);
    expect(s.deleteEntry(id(100))).toBe(true);
    expect(s.deleteEntry(id(100))).toBe(false);
    expect(s.nodes[0].deleted).toBe(1);
    expect(ids(s, false, id(98), id(102))).toEqual(['98-0', '99-0', '101-0', '102-0']);
    expect(ids(s, true, id(98), id(102))).toEqual(['102-0', '101-0', '99-0', '98-0']);
    for (let i = 201; i <= 250; i++) s.deleteEntry(id(i));
    expect(s.nodes.length).toBe(2);
    expect(s.length).toBe(199);
    const big = new StreamValue();
    // Four 1000-byte entries fill a 4096-byte node: lpBytes + the new entry's bytes must stay below.
    for (let i = 1; i <= 10; i++) big.append(id(i), [b('f'), Buffer.alloc(1000, 97)], LIMITS);
    expect(big.nodes.map((n) => n.count)).toEqual([4, 4, 2]);
  });

  it('trim exactly by flagging, approximately by whole nodes only, within a limit', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 250; i++) s.append(id(i), [b('f'), b('v')], LIMITS);
    expect(s.trim({ strategy: 'maxlen', maxLen: 180, minId: ZERO_ID, approx: true, limit: 0 })).toBe(0);
    expect(s.trim({ strategy: 'maxlen', maxLen: 140, minId: ZERO_ID, approx: true, limit: 0 })).toBe(100);
    expect(s.trim({ strategy: 'minid', maxLen: 0, minId: id(160), approx: false, limit: 0 })).toBe(59);
    expect(s.firstId).toEqual(id(160));
    expect(s.nodes[0].deleted).toBe(59);
    // The limit lets the 41 live entries of the next node go, not the 50 after them.
    expect(s.trim({ strategy: 'maxlen', maxLen: 0, minId: ZERO_ID, approx: true, limit: 50 })).toBe(41);
  });

  it('keep nodeBytes equal to the sum of their buffers through appends, splits, deletes, trims and copies', () => {
    const walked = (v: StreamValue) => v.nodes.reduce((n, node) => n + node.buf.length, 0);
    const s = new StreamValue();
    expect(s.nodeBytes).toBe(0);
    // Values of every size: nodes grow their buffers, split by bytes and by entries, shrink when sealed.
    for (let i = 1; i <= 400; i++) {
      s.append(id(i), [b('f'), Buffer.alloc((i * 37) % 700, 97), b('n'), b(String(i))], LIMITS);
      expect(s.nodeBytes).toBe(walked(s));
    }
    expect(s.nodes.length).toBeGreaterThan(10);
    // A node emptied by deletes is dropped; flagging entries changes no buffer.
    const second = s.nodes[1];
    for (let i = second.master.ms; i <= second.lastId.ms; i++) s.deleteEntry(id(Number(i)));
    expect(s.nodes).not.toContain(second);
    expect(s.nodeBytes).toBe(walked(s));
    expect(s.trim({ strategy: 'maxlen', maxLen: 300, minId: ZERO_ID, approx: true, limit: 0 })).toBeGreaterThan(0);
    expect(s.nodeBytes).toBe(walked(s));
    s.trim({ strategy: 'maxlen', maxLen: 150, minId: ZERO_ID, approx: false, limit: 0 });
    expect(s.nodeBytes).toBe(walked(s));
    const copy = cloneStream(s);
    expect(copy.nodeBytes).toBe(walked(copy));
    const loaded = new StreamValue();
    for (const node of s.nodes) loaded.addNode(StreamNode.fromListpack(node.master, node.toListpack()));
    expect(loaded.nodeBytes).toBe(walked(loaded));
  });

  it('range from any ID inside a node: the seek by ID deltas lands where a full walk does', () => {
    const s = new StreamValue();
    const all: StreamId[] = [];
    // Several entries per millisecond (sequence deltas below the master's too), fields the same as
    // the master's or not, and tombstones.
    for (let i = 0; i < 600; i++) {
      const entryId = id(1000 + Math.floor(i / 3), [2, 5, 9][i % 3]);
      all.push(entryId);
      s.append(entryId, i % 4 === 0 ? [b('other'), b(String(i))] : [b('f'), b(String(i)), b('n'), b('x'.repeat(i % 50))], LIMITS);
    }
    for (let i = 5; i < 600; i += 11) s.deleteEntry(all[i]);
    const live = all.map(formatId).filter((_, i) => i < 5 || (i - 5) % 11 !== 0);
    for (let ms = 995; ms < 1205; ms += 3) {
      for (const seq of [0, 2, 3, 5, 9, 10]) {
        const start = id(ms, seq);
        const expected = live.filter((text) => {
          const [m, q] = text.split('-').map(Number);
          return m > ms || (m === ms && q >= seq);
        });
        expect(ids(s, false, start)).toEqual(expected);
      }
    }
    // IDs near 2^64: the deltas wrap as int64 and the seek must not misorder them.
    const top = new StreamValue();
    const U64 = 18446744073709551615n;
    const edges: StreamId[] = [id(0, 1), { ms: 0n, seq: U64 }, id(1), id(42), id(42, 42), { ms: U64, seq: U64 - 1n }, { ms: U64, seq: U64 }];
    for (const e of edges) top.append(e, [b('foo'), b('bar')], LIMITS);
    expect(ids(top, false, id(0, 2))).toEqual(edges.slice(1).map(formatId));
    expect(ids(top, false, id(1, 1))).toEqual(edges.slice(3).map(formatId));
    expect(ids(top, false, { ms: U64, seq: U64 })).toEqual([formatId(edges[6])]);
    // Fields come with the entry found.
    const it = s.iterate(id(1100, 3), MAX_ID, false);
    expect(it.next(true)).toBe(true);
    expect(formatId(it.entry.id)).toBe('1100-5');
    expect(it.entry.pairs.map(String)).toEqual(['f', '301', 'n', 'x'.repeat(301 % 50)]);
  });

  it('estimate an ID read counter only where 7.0 can', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 5; i++) s.append(id(i), [b('f'), b('v')], LIMITS);
    expect(s.estimateDistance(id(5))).toBe(5);
    expect(s.estimateDistance(id(1))).toBe(1);
    expect(s.estimateDistance(id(0, 5))).toBe(0);
    expect(s.estimateDistance(id(3))).toBe(-1);
    expect(s.estimateDistance(id(9))).toBe(-1);
  });
});

describe('rax node count (XINFO radix-tree-nodes)', () => {
  const nodes = (...masters: StreamId[]) => masters.map((m) => new StreamNode(m, 1, 0, Buffer.alloc(0)));
  it('counts the nodes of Redis radix tree', () => {
    expect(raxNodeCount([])).toBe(1);
    expect(raxNodeCount(nodes(id(1)))).toBe(2);
    // A 7-byte shared prefix, a branch, then per key one child and a compressed 8-byte tail.
    expect(raxNodeCount(nodes(id(1), id(2)))).toBe(6);
    expect(raxNodeCount(nodes(id(1), id(2), id(3)))).toBe(8);
    expect(raxNodeCount(nodes(id(1), id(1, 300)))).toBe(6);
    expect(raxNodeCount(nodes(id(1, 1), id(1, 2)))).toBe(4);
  });
});
