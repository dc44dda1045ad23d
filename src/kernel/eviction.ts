import type { ConfigStore } from '../config/config-store';
import type { Keyspace } from '../keyspace/keyspace';
import { lfuDecayed, lruIdleMs } from '../keyspace/access-clock';
import type { MemoryAccounting } from './memory-accounting';

/** Redis's shared.oomerr, without the leading '-'. */
export const ERR_OOM = "OOM command not allowed when used memory > 'maxmemory'.";
/** EVPOOL_SIZE: the best candidates kept between eviction passes. */
const POOL_SIZE = 16;
/** As Redis: the time limit and the lazy-free target are checked every 16 evicted keys. */
const CHECK_EVERY = 16;

const enum Policy {
  NoEviction,
  AllkeysLru,
  VolatileLru,
  AllkeysLfu,
  VolatileLfu,
  AllkeysRandom,
  VolatileRandom,
  VolatileTtl,
}

const POLICIES: Record<string, Policy> = {
  noeviction: Policy.NoEviction,
  'allkeys-lru': Policy.AllkeysLru,
  'volatile-lru': Policy.VolatileLru,
  'allkeys-lfu': Policy.AllkeysLfu,
  'volatile-lfu': Policy.VolatileLfu,
  'allkeys-random': Policy.AllkeysRandom,
  'volatile-random': Policy.VolatileRandom,
  'volatile-ttl': Policy.VolatileTtl,
};

/**
 * maxmemory (Redis's evict.c): before a command, while the memory estimate is over the limit, evict
 * keys the policy allows. LRU, LFU and volatile-ttl sample `maxmemory-samples` keys per database
 * into a pool of the 16 best candidates and evict the best; the random policies pick one key per
 * database in turn. A pass stops after the tenacity's time limit and leaves the rest to a
 * background timer, so one command never stalls on a huge backlog.
 */
export class Eviction {
  /** The limit in bytes; 0: off (the dispatcher checks this before calling anything). */
  maxmemory = 0;
  /** The result of the last check before a command (scripts' first write is refused on it). */
  outOfMemory = false;
  /** Decides whether evicting is allowed now (not loading, not a replica ignoring maxmemory, no pause). */
  isSafe: () => boolean = () => true;
  private policy = Policy.NoEviction;
  private samples = 5;
  private timeLimitUs = 500;
  private lazy = false;
  private readonly poolKeys: (string | null)[] = new Array<string | null>(POOL_SIZE).fill(null);
  private readonly poolDbs: number[] = new Array<number>(POOL_SIZE).fill(0);
  private readonly poolScores: number[] = new Array<number>(POOL_SIZE).fill(0);
  private readonly sampled: string[] = [];
  private nextDb = 0;
  private background: NodeJS.Timeout | null = null;
  /** Microsecond totals for INFO (total_/current_eviction_exceeded_time). */
  private exceededSince = 0;
  private exceededTotalMs = 0;

  constructor(
    private readonly keyspace: Keyspace,
    private readonly memory: MemoryAccounting,
    config: ConfigStore,
  ) {
    const read = (): void => {
      this.maxmemory = config.get<number>('maxmemory');
      const policy = config.get<string>('maxmemory-policy');
      this.policy = POLICIES[policy] ?? Policy.NoEviction;
      this.samples = config.get<number>('maxmemory-samples');
      this.timeLimitUs = timeLimitUs(config.get<number>('maxmemory-eviction-tenacity'));
      this.lazy = config.get<boolean>('lazyfree-lazy-eviction');
      const access = keyspace.access;
      access.lfu = policy.includes('lfu');
      access.logFactor = config.get<number>('lfu-log-factor');
      access.decayTime = config.get<number>('lfu-decay-time');
      this.clearPool();
    };
    read();
    for (const name of ['maxmemory-policy', 'maxmemory-samples', 'maxmemory-eviction-tenacity', 'lazyfree-lazy-eviction', 'lfu-log-factor', 'lfu-decay-time']) {
      config.onChange(name, read);
    }
    // As Redis's updateMaxmemory: a lower limit starts evicting now, not at the next command.
    config.onChange('maxmemory', () => {
      read();
      if (this.maxmemory !== 0) this.startBackground();
    });
  }

  /** INFO stats: milliseconds spent over the limit in total, and in the current episode. */
  exceededTimes(): [number, number] {
    const current = this.exceededSince === 0 ? 0 : Date.now() - this.exceededSince;
    return [this.exceededTotalMs + current, current];
  }

  /**
   * performEvictions: true when memory is under the limit (or eviction goes on in the background,
   * or may not run now), false when it is over and nothing more may be evicted.
   */
  perform(): boolean {
    if (!this.isSafe()) return true;
    const ok = this.evict();
    if (ok === 'ok') {
      if (this.exceededSince !== 0) {
        this.exceededTotalMs += Date.now() - this.exceededSince;
        this.exceededSince = 0;
      }
      return true;
    }
    if (this.exceededSince === 0) this.exceededSince = Date.now();
    return ok === 'running';
  }

  private evict(): 'ok' | 'running' | 'fail' {
    this.keyspace.settleMemory();
    const maxmemory = this.maxmemory;
    const used = this.memory.usedForEviction();
    if (maxmemory === 0 || used <= maxmemory) return 'ok';
    if (this.policy === Policy.NoEviction) return 'fail';
    const toFree = used - maxmemory;
    const started = performance.now();
    let freed = 0;
    let evicted = 0;
    while (freed < toFree) {
      const bytes = this.evictOne();
      if (bytes < 0) return 'fail';
      freed += bytes;
      if (++evicted % CHECK_EVERY === 0 && (performance.now() - started) * 1000 > this.timeLimitUs) {
        this.startBackground();
        return 'running';
      }
    }
    return this.background !== null ? 'running' : 'ok';
  }

  /** Evicts the best key the policy allows: the bytes freed, or -1 when there is no candidate. */
  private evictOne(): number {
    const dbs = this.keyspace.databases;
    const policy = this.policy;
    const volatile = policy === Policy.VolatileLru || policy === Policy.VolatileLfu || policy === Policy.VolatileRandom || policy === Policy.VolatileTtl;
    if (policy === Policy.AllkeysRandom || policy === Policy.VolatileRandom) {
      for (let i = 0; i < dbs.length; i++) {
        const db = dbs[(this.nextDb = (this.nextDb + 1) % dbs.length)];
        if ((volatile ? db.expiresCount : db.size) === 0) continue;
        this.sampled.length = 0;
        db.sampleKeys(1, volatile, this.sampled);
        if (this.sampled.length !== 0) return db.evict(this.sampled[0], this.lazy);
      }
      return -1;
    }
    // Every round samples afresh; a pool of ghosts only (keys gone meanwhile) takes another round.
    for (let round = 0; round < 1000; round++) {
      let total = 0;
      for (const db of dbs) {
        const n = volatile ? db.expiresCount : db.size;
        if (n === 0) continue;
        total += n;
        this.populate(db.index, volatile);
      }
      if (total === 0) return -1;
      // From the best candidate down: the first that is still there (others are ghosts).
      for (let k = POOL_SIZE - 1; k >= 0; k--) {
        const key = this.poolKeys[k];
        if (key === null) continue;
        const db = dbs[this.poolDbs[k]];
        this.poolKeys[k] = null;
        if (!db.holds(key) || (volatile && db.getExpire(key) === -1)) continue;
        return db.evict(key, this.lazy);
      }
    }
    return -1;
  }

  /** evictionPoolPopulate: samples keys of one database into the pool, kept sorted by score (best last). */
  private populate(dbIndex: number, volatile: boolean): void {
    const db = this.keyspace.databases[dbIndex];
    const sampled = this.sampled;
    sampled.length = 0;
    db.sampleKeys(this.samples, volatile, sampled);
    const now = Date.now();
    const access = this.keyspace.access;
    const keys = this.poolKeys;
    const scores = this.poolScores;
    const dbIds = this.poolDbs;
    for (let j = 0; j < sampled.length; j++) {
      const key = sampled[j];
      let score: number;
      if (this.policy === Policy.VolatileTtl) score = Number.MAX_SAFE_INTEGER - db.getExpire(key);
      else {
        const stamp = db.accessOf(key);
        if (stamp < 0) continue;
        score = access.lfu ? 255 - lfuDecayed(stamp, access.decayTime, now) : lruIdleMs(stamp, now);
      }
      if (this.inPool(key, dbIndex)) continue;
      let k = 0;
      while (k < POOL_SIZE && keys[k] !== null && scores[k] < score) k++;
      if (k === 0 && keys[POOL_SIZE - 1] !== null) continue; // worse than all, and no room
      if (k < POOL_SIZE && keys[k] === null) {
        // an empty slot: take it
      } else if (keys[POOL_SIZE - 1] === null) {
        // room on the right: shift k.. right
        for (let m = POOL_SIZE - 1; m > k; m--) {
          keys[m] = keys[m - 1];
          scores[m] = scores[m - 1];
          dbIds[m] = dbIds[m - 1];
        }
      } else {
        // full: drop the worst (slot 0), shift 1..k-1 left
        k--;
        for (let m = 0; m < k; m++) {
          keys[m] = keys[m + 1];
          scores[m] = scores[m + 1];
          dbIds[m] = dbIds[m + 1];
        }
      }
      keys[k] = key;
      scores[k] = score;
      dbIds[k] = dbIndex;
    }
  }

  /** Sampling may return a key the pool holds already: keeping it twice would waste a slot. */
  private inPool(key: string, dbIndex: number): boolean {
    for (let k = 0; k < POOL_SIZE; k++) if (this.poolKeys[k] === key && this.poolDbs[k] === dbIndex) return true;
    return false;
  }

  private clearPool(): void {
    this.poolKeys.fill(null);
  }

  /** Evicts in timer slices until under the limit (evictionTimeProc). */
  private startBackground(): void {
    if (this.background !== null) return;
    this.background = setTimeout(() => {
      this.background = null;
      if (!this.isSafe() || this.maxmemory === 0) return;
      if (this.evict() === 'running') this.startBackground();
    }, 0);
    this.background.unref();
  }

  stop(): void {
    if (this.background !== null) clearTimeout(this.background);
    this.background = null;
  }
}

/** evictionTimeLimitUs: tenacity 0..10 is linear (50 us a step), then 15 % more a step; 100 is no limit. */
function timeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return 500 * Math.pow(1.15, tenacity - 10);
  return Number.MAX_SAFE_INTEGER;
}
