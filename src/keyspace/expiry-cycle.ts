import type { Keyspace } from './keyspace';
import type { LatencyMonitor } from '../kernel/latency-monitor';

/**
 * Active expiry, modelled on Redis's activeExpireCycle: every tick, each database checks a batch
 * of keys that carry a TTL (resuming where the previous tick stopped), and repeats while more than a
 * quarter of the batch had expired, within a time budget. Keys without a TTL are never looked at.
 */
const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE_PERCENT = 25;
/** Share of each tick the cycle may use, as Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC. */
const TIME_PERCENT = 25;

/** What the cycle has done since it was made: lets tests assert on work rather than on time. */
export interface ExpiryCycleWork {
  /** Calls of run(). */
  cycles: number;
  /** Databases the cycle sampled (those with at least one TTL). */
  databasesSampled: number;
  /** Keys with a TTL looked at. */
  keysSampled: number;
  /** Keys deleted because their TTL had passed. */
  keysExpired: number;
}

export class ExpiryCycle {
  private timer: NodeJS.Timeout | null = null;
  /** DEBUG PAUSE-CRON. */
  paused = false;
  readonly work: ExpiryCycleWork = { cycles: 0, databasesSampled: 0, keysSampled: 0, keysExpired: 0 };

  constructor(
    private readonly keyspace: Keyspace,
    private hz: number,
    /** Where a cycle that took at least latency-monitor-threshold is recorded (`expire-cycle`). */
    private readonly latency: LatencyMonitor | null = null,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.run(), Math.max(1, Math.floor(1000 / this.hz)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  setHz(hz: number): void {
    this.hz = hz;
    if (this.timer !== null) this.start();
  }

  /** One cycle; returns how many keys it deleted. */
  run(): number {
    if (this.paused || this.keyspace.expiryMode !== 'delete' || this.keyspace.expiryPaused || !this.keyspace.activeExpiry) return 0;
    const started = performance.now();
    const deleted = this.expireSome();
    if (this.latency !== null && this.latency.threshold > 0) this.latency.addSampleIfNeeded('expire-cycle', performance.now() - started);
    return deleted;
  }

  private expireSome(): number {
    const work = this.work;
    work.cycles++;
    const budgetMs = (1000 / this.hz) * (TIME_PERCENT / 100);
    const started = performance.now();
    let deleted = 0;
    for (const db of this.keyspace.databases) {
      if (db.expiresCount === 0) continue;
      work.databasesSampled++;
      for (;;) {
        const [sampled, expired] = db.expireSome(KEYS_PER_LOOP);
        work.keysSampled += sampled;
        work.keysExpired += expired;
        deleted += expired;
        if (sampled === 0 || expired * 100 <= sampled * ACCEPTABLE_STALE_PERCENT) break;
        if (performance.now() - started > budgetMs) return deleted;
      }
    }
    return deleted;
  }
}
