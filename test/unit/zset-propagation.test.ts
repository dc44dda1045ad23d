import { describe, expect, it } from 'vitest';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { usePropagationHarness } from '../helpers/propagation';
import { zsetDataType } from '../../plugins/zsets/zset-type';
import { ZSetValue } from '../../plugins/zsets/zset-value';

/** What the zsets and geo commands publish to the change feed (AOF, replicas), as Redis rewrites them. */
describe('zsets: propagation', () => {
  const h = usePropagationHarness();

  it('publishes pops as ZPOPMIN/ZPOPMAX, ZMPOP with its count, and nothing for no-op writes', async () => {
    const out = await h.run(
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZADD', 'z', 'NX', '9', 'a'],
      ['ZPOPMIN', 'z'],
      ['ZMPOP', '2', 'nokey', 'z', 'MAX', 'COUNT', '10'],
      ['ZADD', 'z', '1', 'a'],
      ['BZPOPMIN', 'nokey', 'z', '0'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5'],
    );
    expect(out).toEqual([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '3'],
      ['ZADD', 'z', '1', 'a'],
      ['ZPOPMIN', 'z'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZPOPMIN', 'z', '2'],
    ]);
  });

  it('publishes a blocked BZPOPMAX served later as ZPOPMAX, and GEOADD as its ZADD form', async () => {
    const other = await RawConnection.connect(h.server.port);
    try {
      other.write(encodeCommand(['BZPOPMAX', 'q', '0']));
      await new Promise((r) => setTimeout(r, 100));
      await h.conn.command(['ZADD', 'q', '5', 'x']);
      const replies = await other.readReplies(1);
      expect(replies[0].toString('latin1')).toBe('*3\r\n$1\r\nq\r\n$1\r\nx\r\n$1\r\n5\r\n');
      await h.conn.command(['GEOADD', 'g', 'CH', '13.361389', '38.115556', 'Palermo']);
      expect(h.changes.map((c) => c.argv)).toEqual([
        ['ZADD', 'q', '5', 'x'],
        ['ZPOPMAX', 'q'],
        ['zadd', 'g', 'CH', '3479099956230698', 'Palermo'],
      ]);
    } finally {
      other.close();
    }
  });
});

describe('zsets: AOF rewrite', () => {
  it('emits ZADD batches of at most 64 pairs with round-tripping scores', () => {
    const z = new ZSetValue();
    for (let i = 0; i < 130; i++) z.insertNew('m' + i, i + 0.1);
    const out: (string | Buffer)[][] = [];
    zsetDataType.rewrite('k', z, (argv) => out.push(argv));
    expect(out.map((a) => (a.length - 2) / 2)).toEqual([64, 64, 2]);
    expect(out[0].slice(0, 4)).toEqual(['ZADD', 'k', '0.10000000000000001', 'm0']);
  });
});
