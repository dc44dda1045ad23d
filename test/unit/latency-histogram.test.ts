import { describe, expect, it } from 'vitest';
import { LatencyHistogram, highestEquivalent, lowestEquivalent } from '../../src/commands/latency-histogram';

/** One duration of `us` microseconds: what INFO latencystats shows for p0 and p100, in µs. */
function edges(us: number): [string, string] {
  const h = new LatencyHistogram();
  h.record(us * 1000);
  return [(h.valueAtPercentile(0) / 1000).toFixed(3), (h.valueAtPercentile(100) / 1000).toFixed(3)];
}

describe('LatencyHistogram', () => {
  // Figures redis-server 7.0.15 printed in INFO latencystats for calls of these whole-µs durations.
  it.each([
    [4, '4.000', null],
    [5, null, '5.023'],
    [6, null, '6.015'],
    [9, null, '9.023'],
    [10, '9.984', '10.047'],
    [21, null, '21.119'],
    [40, '39.936', null],
    [66, null, '66.047'],
    [80, null, '80.383'],
    [83, '82.944', '83.455'],
  ])('a %i µs call reads as Redis\'s bucket edges', (us, p0, p100) => {
    const [low, high] = edges(us);
    if (p0 !== null) expect(low).toBe(p0);
    if (p100 !== null) expect(high).toBe(p100);
  });

  it('keeps values under 256 ns exact and clamps to 1 ns .. 1 s', () => {
    expect(edges(0)).toEqual(['0.001', '0.001']);
    const h = new LatencyHistogram();
    h.record(200);
    expect(h.valueAtPercentile(50)).toBe(200);
    h.record(5e12);
    expect(h.valueAtPercentile(100)).toBe(1_000_000_000 + 2 ** 22 - 1 - (1_000_000_000 % 2 ** 22));
  });

  it('reads a percentile at the count hdr_value_at_percentile rounds to', () => {
    const h = new LatencyHistogram();
    for (let us = 1; us <= 100; us++) h.record(us * 1000);
    // p50: the 50th value (50 µs, in the 256 ns steps above 32,768 ns); p99: the 99th; p99.9 rounds to the 100th.
    expect(h.valueAtPercentile(50)).toBe(49_920 + 255);
    expect(h.valueAtPercentile(99)).toBe(98_816 + 511);
    expect(h.valueAtPercentile(99.9)).toBe(99_840 + 511);
    expect(h.valueAtPercentile(0)).toBe(1000);
    expect(new LatencyHistogram().valueAtPercentile(50)).toBe(0);
  });
});

describe('LatencyHistogram buckets', () => {
  it('puts every value in the bucket lowestEquivalent names, in value order', () => {
    // A value's p0 is its bucket's lowest value, p100 its highest: both must agree with the step rules.
    for (const ns of [1, 2, 255, 256, 257, 511, 512, 1000, 4095, 4096, 65_535, 65_536, 1_234_567, 999_999_999, 1_000_000_000]) {
      const h = new LatencyHistogram();
      h.record(ns);
      expect(h.valueAtPercentile(0)).toBe(lowestEquivalent(ns));
      expect(h.valueAtPercentile(100)).toBe(highestEquivalent(ns));
    }
    const h = new LatencyHistogram();
    for (const ns of [900_000, 3_000, 3_001, 70_000, 5]) h.record(ns);
    expect([0, 20, 60, 80, 100].map((p) => h.valueAtPercentile(p))).toEqual([5, 5, highestEquivalent(3_001), highestEquivalent(70_000), highestEquivalent(900_000)]);
  });
});
