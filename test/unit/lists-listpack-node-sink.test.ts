import { describe, expect, it } from 'vitest';
import { encodeListpack, walkListpack } from '../../src/api/persistence';
import { ListpackNodeSink } from '../../plugins/lists/listpack-node-sink';
import { QuickListNode } from '../../plugins/lists/packed-node';

/** A listpack holding one int64-encoded entry (what a writer other than Redis may produce): header, entry 0xf4 + 8 bytes + backlen 9, end. */
function int64Listpack(value: bigint): Buffer {
  const b = Buffer.alloc(6 + 10 + 1);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(1, 4);
  b[6] = 0xf4;
  b.writeBigInt64LE(value, 7);
  b[15] = 9;
  b[16] = 0xff;
  return b;
}

describe('ListpackNodeSink (a quicklist node loaded without a string per element)', () => {
  it('makes the node that pushing the decoded elements makes: bytes, count and listpack size', () => {
    const items = ['0', '127', '-1', '4095', '-4096', '32767', '8388607', '2147483648', '-9223372036854775808', '007', '-0', '1.5', '', 'a', '12a', 'x'.repeat(63), 'y'.repeat(200), 'z'.repeat(20000)];
    const sink = new ListpackNodeSink();
    walkListpack(encodeListpack(items), sink);
    const loaded = sink.finish()!;
    const pushed = new QuickListNode(items);
    expect(loaded.toArray()).toEqual(items);
    expect(loaded.count).toBe(items.length);
    expect(loaded.sz).toBe(pushed.sz);
    expect(loaded.buf.subarray(loaded.lo, loaded.hi)).toEqual(pushed.buf.subarray(pushed.lo, pushed.hi));
    // The sink is empty again; a node that grows afterwards behaves as any other.
    expect(sink.finish()).toBeNull();
    loaded.pushTail('tail');
    loaded.pushHead('head');
    expect(loaded.toArray()).toEqual(['head', ...items, 'tail']);
  });

  it('measures an int64 entry holding a small value as its text would be measured', () => {
    const sink = new ListpackNodeSink();
    walkListpack(int64Listpack(5n), sink);
    const node = sink.finish()!;
    expect(node.toArray()).toEqual(['5']);
    expect(node.sz).toBe(new QuickListNode(['5']).sz);
    walkListpack(int64Listpack(2n ** 62n), sink);
    expect(sink.finish()!.sz).toBe(new QuickListNode([String(2n ** 62n)]).sz);
  });
});
