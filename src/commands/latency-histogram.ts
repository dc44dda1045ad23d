/**
 * A command's call durations, bucketed as Redis 7.0 keeps them for INFO latencystats: an
 * HdrHistogram of nanoseconds from 1 ns to 1 s with 2 significant digits. Values below 256 are
 * exact; above, each power-of-two range is split into 128 steps. Percentiles are read as Redis's
 * hdr_value_at_percentile does: the highest value equivalent to the one at that count (the lowest
 * for percentile 0), so the figures are Redis's bucket edges (5,000 ns reads 5.023 µs).
 */

const MIN_NS = 1;
const MAX_NS = 1_000_000_000;

/** Width of the bucket step that `ns` falls in. */
function stepOf(ns: number): number {
  return ns < 256 ? 1 : 2 ** (Math.floor(Math.log2(ns)) - 7);
}

export function lowestEquivalent(ns: number): number {
  return ns - (ns % stepOf(ns));
}

export function highestEquivalent(ns: number): number {
  return lowestEquivalent(ns) + stepOf(ns) - 1;
}

export class LatencyHistogram {
  /** Counts by the lowest value of their bucket: a few dozen buckets in practice. */
  private readonly counts = new Map<number, number>();
  private total = 0;

  record(ns: number): void {
    const bucket = lowestEquivalent(Math.min(Math.max(Math.round(ns), MIN_NS), MAX_NS));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /**
   * LATENCY HISTOGRAM's buckets, as Redis's fillCommandCDF walks its histogram with a logarithmic
   * iterator (first bucket 1024 ns, base 2): at each power-of-two level, the level's highest
   * equivalent value in whole microseconds and how many calls took up to that bucket; a level
   * that adds no call is left out.
   */
  cumulativeBuckets(): [number, number][] {
    const buckets = [...this.counts.keys()].sort((a, b) => a - b);
    const out: [number, number][] = [];
    let seen = 0;
    let i = 0;
    let previous = 0;
    for (let level = 1024; seen < this.total && level <= 2 * MAX_NS; level *= 2) {
      while (i < buckets.length && buckets[i] <= level) seen += this.counts.get(buckets[i++])!;
      if (seen > previous) out.push([Math.floor(highestEquivalent(level) / 1000), seen]);
      previous = seen;
    }
    return out;
  }

  /** The value at `percentile` (0 to 100), in nanoseconds; 0 when nothing was recorded. */
  valueAtPercentile(percentile: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.trunc((Math.min(percentile, 100) / 100) * this.total + 0.5));
    const buckets = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const bucket of buckets) {
      seen += this.counts.get(bucket)!;
      if (seen >= target) return percentile === 0 ? bucket : highestEquivalent(bucket);
    }
    return highestEquivalent(buckets[buckets.length - 1]);
  }
}
