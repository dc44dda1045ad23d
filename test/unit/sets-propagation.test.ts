import { describe, expect, it } from 'vitest';
import { usePropagationHarness } from '../helpers/propagation';

/**
 * What the set commands publish to the change feed (AOF, replicas): SPOP as SREM of the members
 * drawn (one SREM per member, in MULTI/EXEC when several, as Redis 7.0), a SPOP that empties the
 * set as DEL, nothing for no-op writes.
 */
describe('sets: propagation', () => {
  const h = usePropagationHarness();

  it('publishes SPOP as SREM of the drawn members and a whole-set SPOP as DEL', async () => {
    const out = await h.run(
      ['SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      ['SPOP', 's'],
      ['SPOP', 's', '2'],
      ['SPOP', 's', '4'],
      ['SPOP', 's', '0'],
      ['SPOP', 's', '5'],
    );
    expect(out[0]).toEqual(['SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const removed = new Set<string>();
    const srem = (argv: string[]) => {
      expect(argv.slice(0, 2)).toEqual(['SREM', 's']);
      expect(argv).toHaveLength(3);
      expect(removed.has(argv[2])).toBe(false);
      removed.add(argv[2]);
    };
    srem(out[1]); // SPOP s
    let i = 2;
    for (const n of [2, 4]) {
      expect(out[i++]).toEqual(['MULTI']);
      for (let j = 0; j < n; j++) srem(out[i++]);
      expect(out[i++]).toEqual(['EXEC']);
    }
    expect(out[i]).toEqual(['DEL', 's']);
    expect(out).toHaveLength(i + 1);
  });

  it('publishes nothing for writes that change nothing', async () => {
    const out = await h.run(
      ['SADD', 's', '1'],
      ['SADD', 's', '1'],
      ['SREM', 's', '2'],
      ['SMOVE', 's', 'd', '9'],
      ['SINTERSTORE', 'dst', 'nokey'],
    );
    expect(out).toEqual([['SADD', 's', '1']]);
  });
});
