import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/commands/latency-histogram';
import { LatencySeries } from '../../src/kernel/latency-monitor';
import { renderSparkline } from '../../src/kernel/sparkline';

describe('latency monitor structures', () => {
  it('LATENCY HISTOGRAM buckets: powers of two from 1024 ns, cumulative, levels adding nothing left out', () => {
    const h = new LatencyHistogram();
    for (const us of [1, 1, 3, 5, 5, 5, 40]) h.record(us * 1000);
    // 1 µs (1000 ns) is at or below the 1024 level; 3 µs at 4096; 5 µs at 8192; 40 µs at 65536.
    expect(h.cumulativeBuckets()).toEqual([[1, 2], [4, 3], [8, 6], [66, 7]]);
    expect(h.count).toBe(7);
    expect(new LatencyHistogram().cumulativeBuckets()).toEqual([]);
  });

  it('a series keeps the worst sample of each second and its all-time high, oldest first', () => {
    const s = new LatencySeries();
    s.add(100, 5);
    s.add(100, 9);
    s.add(100, 2);
    s.add(101, 3);
    expect(s.samples()).toEqual([[100, 9], [101, 3]]);
    expect(s.latest()).toEqual([101, 3]);
    expect(s.max).toBe(9);
    for (let t = 200; t < 400; t++) s.add(t, t);
    expect(s.samples()).toHaveLength(160);
    expect(s.samples()[0]).toEqual([240, 240]);
  });

  it('sparklines: four rows of _o# with | below, then labels written downwards', () => {
    const out = renderSparkline([{ value: 0, label: '1s' }, { value: 10, label: '2s' }], 80, 4);
    expect(out.split('\n')).toEqual([' #', ' |', ' |', '_|', '  ', '12', 'ss', '']);
  });
});
