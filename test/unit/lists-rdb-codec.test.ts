import { describe, expect, it } from 'vitest';
import { RDB_TYPE } from '../../src/index';
import { RdbBufferReader, RdbBufferWriter, encodeListpack } from '../../src/api/persistence';
import { readListRdb, writeListRdb } from '../../plugins/lists/list-rdb-codec';
import { ListValue } from '../../plugins/lists/list-value';
import { listDataType } from '../../plugins/lists/list-type';

/** A ziplist of strings (the pre-7.0 encoding), written from the format description. */
function ziplist(items: string[]): Buffer {
  const entries: number[] = [];
  let prev = 0;
  let tail = 10;
  for (const item of items) {
    const start = entries.length;
    tail = 10 + start;
    const bytes = [...Buffer.from(item, 'latin1')];
    const header = bytes.length < 64 ? [bytes.length] : [0x40 | (bytes.length >> 8), bytes.length & 0xff];
    entries.push(...(prev < 254 ? [prev] : [0xfe, prev & 0xff, (prev >> 8) & 0xff, 0, 0]), ...header, ...bytes);
    prev = entries.length - start;
  }
  const total = 10 + entries.length + 1;
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  return Buffer.from([...u32(total), ...u32(tail), items.length & 0xff, items.length >> 8, ...entries, 0xff]);
}

function read(type: number, write: (out: RdbBufferWriter) => void, fill = -2): ListValue {
  const out = new RdbBufferWriter({ compression: false });
  write(out);
  return readListRdb(type, new RdbBufferReader(Buffer.from(out.view())), fill);
}

describe('lists RDB codec', () => {
  it('reads a plain list (type 1), pushing under the configured fill', () => {
    const list = read(RDB_TYPE.LIST, (out) => {
      out.writeLength(5);
      for (const s of ['a', '12', 'c', 'd', 'e']) out.writeString(s);
    }, 2);
    expect(list.toArray()).toEqual(['a', '12', 'c', 'd', 'e']);
    expect(list.nodes.map((n) => n.items.length)).toEqual([2, 2, 1]);
  });

  it('reads one ziplist (type 10) and a quicklist of ziplists (type 14) keeping its nodes', () => {
    expect(read(RDB_TYPE.LIST_ZIPLIST, (out) => out.writeString(ziplist(['x', 'y'.repeat(100), '7']))).toArray()).toEqual(['x', 'y'.repeat(100), '7']);
    const list = read(RDB_TYPE.LIST_QUICKLIST, (out) => {
      out.writeLength(2);
      out.writeString(ziplist(['a', 'b']));
      out.writeString(ziplist(['c']));
    });
    expect(list.nodes.map((n) => n.items)).toEqual([['a', 'b'], ['c']]);
  });

  it('writes type 18 (container 2 and a listpack per node) and reads it back, plain nodes too', () => {
    const list = new ListValue(2);
    for (const s of ['1', 'two', '3', 'four', '5']) list.pushTail(s);
    const out = new RdbBufferWriter({ compression: false });
    expect(writeListRdb(list, out)).toBe(RDB_TYPE.LIST_QUICKLIST_2);
    const bytes = Buffer.from(out.view());
    const lp = encodeListpack(['1', 'two']);
    // 3 nodes; the first is container 2 then the listpack as a length-prefixed string.
    expect(bytes.subarray(0, 3 + lp.length)).toEqual(Buffer.concat([Buffer.from([3, 2, lp.length]), lp]));
    const back = readListRdb(RDB_TYPE.LIST_QUICKLIST_2, new RdbBufferReader(bytes), -2);
    expect(back.nodes.map((n) => n.items)).toEqual(list.nodes.map((n) => n.items));
    const plain = read(RDB_TYPE.LIST_QUICKLIST_2, (w) => {
      w.writeLength(2);
      w.writeLength(1);
      w.writeString('a large element stored as is');
      w.writeLength(2);
      w.writeString(encodeListpack(['tail']));
    });
    expect(plain.toArray()).toEqual(['a large element stored as is', 'tail']);
  });

  it('refuses an unknown container', () => {
    expect(() => read(RDB_TYPE.LIST_QUICKLIST_2, (w) => {
      w.writeLength(1);
      w.writeLength(3);
      w.writeString(encodeListpack(['x']));
    })).toThrow(/Quicklist integrity check failed/);
  });
});

describe('lists AOF rewrite', () => {
  it('rewrites a list as RPUSH commands of at most 64 elements, in order', () => {
    const list = new ListValue(-2);
    const model: string[] = [];
    for (let i = 0; i < 150; i++) {
      list.pushTail(`e${i}`);
      model.push(`e${i}`);
    }
    const emitted: (string | Buffer)[][] = [];
    listDataType.rewrite('k', list, (argv) => emitted.push(argv));
    expect(emitted.map((argv) => argv.length - 2)).toEqual([64, 64, 22]);
    expect(emitted.every((argv) => argv[0] === 'RPUSH' && argv[1] === 'k')).toBe(true);
    expect(emitted.flatMap((argv) => argv.slice(2))).toEqual(model);
    expect(listDataType.encoding(list, undefined as never)).toBe('quicklist');
  });
});
