/**
 * A command's call durations, bucketed as Redis 7.0 keeps them for INFO latencystats: an
 * HdrHistogram of nanoseconds from 1 ns to 1 s with 2 significant digits. Values below 256 are
 * exact; above, each power-of-two range is split into 128 steps. Percentiles are read as Redis's
 * hdr_value_at_percentile does: the highest value equivalent to the one at that count (the lowest
 * for percentile 0), so the figures are Redis's bucket edges (5,000 ns reads 5.023 µs).
 */

const MIN_NS = 1;
const MAX_NS = 1_000_000_000;

/** Width of the bucket step that `ns` (at most MAX_NS, below 2^31) falls in. */
function stepOf(ns: number): number {
  return ns < 256 ? 1 : 1 << (24 - Math.clz32(ns));
}

/**
 * The bucket of `ns` (1 .. MAX_NS) as an index: 0-255 exact, then 128 steps per power of two.
 * Indexes grow with the value, so walking them in order walks the buckets in order.
 */
function bucketIndex(ns: number): number {
  if (ns < 256) return ns;
  const exponent = 31 - Math.clz32(ns);
  return 256 + (exponent - 8) * 128 + ((ns >> (exponent - 7)) - 128);
}

/** The lowest value of bucket `index`. */
function bucketValue(index: number): number {
  if (index < 256) return index;
  const exponent = 8 + ((index - 256) >> 7);
  return (128 + ((index - 256) & 127)) * 2 ** (exponent - 7);
}

const BUCKETS = bucketIndex(MAX_NS) + 1;

export function lowestEquivalent(ns: number): number {
  return ns - (ns % stepOf(ns));
}

export function highestEquivalent(ns: number): number {
  return lowestEquivalent(ns) + stepOf(ns) - 1;
}

export class LatencyHistogram {
  /** Counts by bucket index: recorded once per timed call, so an array slot, not a Map entry. */
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;

  record(ns: number): void {
    this.counts[bucketIndex(Math.min(Math.max(Math.round(ns), MIN_NS), MAX_NS))]++;
    this.total++;
  }

  /** Lowest values of the buckets holding calls, ascending. */
  private usedBuckets(): number[] {
    const out: number[] = [];
    const counts = this.counts;
    for (let i = 0; i < BUCKETS; i++) if (counts[i] !== 0) out.push(i);
    return out;
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
    const buckets = this.usedBuckets();
    const out: [number, number][] = [];
    let seen = 0;
    let i = 0;
    let previous = 0;
    for (let level = 1024; seen < this.total && level <= 2 * MAX_NS; level *= 2) {
      while (i < buckets.length && bucketValue(buckets[i]) <= level) seen += this.counts[buckets[i++]];
      if (seen > previous) out.push([Math.floor(highestEquivalent(level) / 1000), seen]);
      previous = seen;
    }
    return out;
  }

  /** The value at `percentile` (0 to 100), in nanoseconds; 0 when nothing was recorded. */
  valueAtPercentile(percentile: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.trunc((Math.min(percentile, 100) / 100) * this.total + 0.5));
    const buckets = this.usedBuckets();
    let seen = 0;
    for (const index of buckets) {
      seen += this.counts[index];
      const bucket = bucketValue(index);
      if (seen >= target) return percentile === 0 ? bucket : highestEquivalent(bucket);
    }
    return highestEquivalent(bucketValue(buckets[buckets.length - 1]));
  }
}
