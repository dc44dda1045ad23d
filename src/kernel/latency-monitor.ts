import type { ConfigStore } from '../config/config-store';
import { renderSparkline, type SparklineSample } from './sparkline';

/** Samples kept per event, as Redis's LATENCY_TS_LEN. */
const SAMPLES_PER_EVENT = 160;
const GRAPH_COLUMNS = 80;

/** One event's ring of samples (one per second at most: the worst of that second). */
export class LatencySeries {
  readonly times = new Int32Array(SAMPLES_PER_EVENT);
  readonly latencies = new Uint32Array(SAMPLES_PER_EVENT);
  /** Next slot to write. */
  idx = 0;
  /** All-time high, in milliseconds. */
  max = 0;

  add(now: number, ms: number): void {
    const prev = (this.idx + SAMPLES_PER_EVENT - 1) % SAMPLES_PER_EVENT;
    if (ms > this.max) this.max = ms;
    if (this.times[prev] === now) {
      if (ms > this.latencies[prev]) this.latencies[prev] = ms;
      return;
    }
    this.times[this.idx] = now;
    this.latencies[this.idx] = ms;
    this.idx = (this.idx + 1) % SAMPLES_PER_EVENT;
  }

  /** The samples oldest first, as [unix seconds, ms]. */
  samples(): [number, number][] {
    const out: [number, number][] = [];
    for (let j = 0; j < SAMPLES_PER_EVENT; j++) {
      const i = (this.idx + j) % SAMPLES_PER_EVENT;
      if (this.times[i] !== 0) out.push([this.times[i], this.latencies[i]]);
    }
    return out;
  }

  latest(): [number, number] {
    const last = (this.idx + SAMPLES_PER_EVENT - 1) % SAMPLES_PER_EVENT;
    return [this.times[last], this.latencies[last]];
  }
}

/**
 * The latency monitor (Redis's latency.c): events that took at least `latency-monitor-threshold`
 * milliseconds (0: off), by event name. Redix records `command` and `fast-command` (a command's
 * run), `expire-cycle`, `aof-write`, `aof-fsync-always` (through `server.latency`), and the
 * Node-specific `event-loop` (the loop was late by at least the threshold) — see README.
 */
export class LatencyMonitor {
  readonly events = new Map<string, LatencySeries>();
  /** latency-monitor-threshold in milliseconds; 0 disables recording. */
  threshold: number;

  constructor(config: ConfigStore) {
    this.threshold = config.get<number>('latency-monitor-threshold');
    config.onChange('latency-monitor-threshold', (v) => (this.threshold = Number(v)));
  }

  /** latencyAddSampleIfNeeded: records `ms` (whole milliseconds) when it reaches the threshold. */
  addSampleIfNeeded(event: string, ms: number): void {
    if (this.threshold === 0 || ms < this.threshold) return;
    let series = this.events.get(event);
    if (series === undefined) this.events.set(event, (series = new LatencySeries()));
    series.add(Math.floor(Date.now() / 1000), Math.floor(ms));
  }

  /** Resets one event (or all, for null): how many were reset. */
  reset(event: string | null): number {
    if (event === null) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    return this.events.delete(event) ? 1 : 0;
  }

  /** LATENCY GRAPH's text, or null when the event has no samples. */
  graph(event: string): string | null {
    const series = this.events.get(event);
    if (series === undefined) return null;
    const now = Math.floor(Date.now() / 1000);
    const samples: SparklineSample[] = series.samples().map(([time, ms]) => ({ value: ms, label: ago(now - time) }));
    const values = samples.map((s) => s.value);
    const header = `${event} - high ${Math.max(...values)} ms, low ${Math.min(...values)} ms (all time high ${series.max} ms)\n`;
    return header + '-'.repeat(GRAPH_COLUMNS) + '\n' + renderSparkline(samples, GRAPH_COLUMNS, 4);
  }
}

function ago(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
