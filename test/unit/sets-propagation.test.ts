import { describe, expect, it } from 'vitest';
import { usePropagationHarness } from '../helpers/propagation';

/**
 * What the set commands publish to the change feed (AOF, replicas): SPOP as SREM of the members
 * drawn (one SREM for a count), a SPOP that empties the set as DEL, nothing for no-op writes.
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
    for (const [i, n] of [[1, 1], [2, 2], [3, 4]]) {
      expect(out[i][0]).toBe('SREM');
      expect(out[i].slice(2)).toHaveLength(n);
      for (const m of out[i].slice(2)) {
        expect(removed.has(m)).toBe(false);
        removed.add(m);
      }
    }
    expect(out[4]).toEqual(['DEL', 's']);
    expect(out).toHaveLength(5);
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
