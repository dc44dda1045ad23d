import { describe, expect, it } from 'vitest';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { usePropagationHarness } from '../helpers/propagation';

/**
 * What the list commands publish to the change feed (AOF, replicas), as Redis 7.0 propagates
 * them: blocking pops served at once or later as their non-blocking forms (BLPOP → LPOP, BLMPOP →
 * LPOP key n, BLMOVE → LMOVE, BRPOPLPUSH → RPOPLPUSH), LMPOP as LPOP/RPOP key n, nothing for a
 * command that changed nothing.
 */
describe('lists: propagation', () => {
  const h = usePropagationHarness();

  it('publishes pushes, pops and moves as sent, LMPOP as LPOP/RPOP with the count popped', async () => {
    const out = await h.run(
      ['RPUSH', 'k', 'a', 'b', 'c'],
      ['LPOP', 'k'],
      ['LMPOP', '2', 'nokey', 'k', 'RIGHT', 'COUNT', '10'],
      ['LPOP', 'k'],
      ['LPUSHX', 'k', 'x'],
      ['LTRIM', 'nokey', '0', '1'],
      ['RPUSH', 'l', '1', '2'],
      ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
    );
    expect(out).toEqual([
      ['RPUSH', 'k', 'a', 'b', 'c'],
      ['LPOP', 'k'],
      ['RPOP', 'k', '2'],
      ['RPUSH', 'l', '1', '2'],
      ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
    ]);
  });

  it('publishes blocking pops served at once as their non-blocking forms', async () => {
    const out = await h.run(
      ['RPUSH', 'k', 'a', 'b', 'c', 'd', 'e'],
      ['BLPOP', 'nokey', 'k', '0'],
      ['BRPOP', 'k', '0'],
      ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '2'],
      ['BLMOVE', 'k', 'd', 'RIGHT', 'LEFT', '0'],
      ['RPUSH', 'k', 'f'],
      ['BRPOPLPUSH', 'k', 'd', '0'],
    );
    expect(out.slice(1)).toEqual([
      ['LPOP', 'k'],
      ['RPOP', 'k'],
      ['LPOP', 'k', '2'],
      ['LMOVE', 'k', 'd', 'RIGHT', 'LEFT'],
      ['RPUSH', 'k', 'f'],
      ['RPOPLPUSH', 'k', 'd'],
    ]);
  });

  it('publishes a served blocked client as the non-blocking form after the push that woke it', async () => {
    const waiters = await Promise.all([1, 2, 3, 4].map(() => RawConnection.connect(h.server.port)));
    try {
      const blocked = async (i: number, argv: string[]): Promise<void> => {
        waiters[i].write(encodeCommand(argv));
        for (let n = 0; n < 200; n++) {
          const info = (await h.conn.command(['INFO', 'clients'])).toString('latin1');
          if (info.includes(`blocked_clients:${i + 1}\r\n`)) return;
          await new Promise((r) => setTimeout(r, 5));
        }
        throw new Error('client did not block');
      };
      await blocked(0, ['BLPOP', 'a', '0']);
      await blocked(1, ['BLMPOP', '0', '1', 'b', 'RIGHT', 'COUNT', '5']);
      await blocked(2, ['BLMOVE', 'c', 'a', 'LEFT', 'RIGHT', '0']);
      await blocked(3, ['BRPOPLPUSH', 'e', 'b', '0']);
      await h.conn.command(['RPUSH', 'c', 'x', 'y']);
      await h.conn.command(['RPUSH', 'e', 'z']);
      for (const w of waiters) await w.readReplies(1, 2000);
      expect(h.changes.map((c) => c.argv)).toEqual([
        ['RPUSH', 'c', 'x', 'y'],
        ['LMOVE', 'c', 'a', 'left', 'right'],
        ['LPOP', 'a'],
        ['RPUSH', 'e', 'z'],
        ['RPOPLPUSH', 'e', 'b'],
        ['RPOP', 'b', '1'],
      ]);
    } finally {
      for (const w of waiters) w.close();
    }
  });
});
