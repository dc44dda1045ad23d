/**
 * Per-key access metadata as Redis keeps it in the 24 bits of `robj.lru`: under an LRU policy (or
 * none) the LRU clock of the last access, in seconds modulo 2^24; under an LFU policy the minutes of
 * the last decrement (16 bits) and a logarithmic access counter (8 bits). The same number is read
 * either way, so after a policy switch at run time the old values read as noise, as in Redis.
 */

/** Redis's LRU_CLOCK_MAX: the clock wraps at 24 bits. */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
/** LRU_CLOCK_RESOLUTION: one tick per second. */
export const LRU_CLOCK_RESOLUTION_MS = 1000;
/** LFU_INIT_VAL: a new key's counter, so that it is not evicted before it had a chance to be read. */
export const LFU_INIT_VAL = 5;

/** What the access stamps depend on (from the config: maxmemory-policy, lfu-log-factor, lfu-decay-time). */
export interface AccessPolicy {
  /** An LFU policy is selected: stamps are LFU counters. */
  lfu: boolean;
  logFactor: number;
  decayTime: number;
}

/** The LRU clock now. */
export function lruClock(nowMs = Date.now()): number {
  return Math.floor(nowMs / LRU_CLOCK_RESOLUTION_MS) & LRU_CLOCK_MAX;
}

/** Milliseconds since an LRU stamp (estimateObjectIdleTime), allowing for one wrap of the clock. */
export function lruIdleMs(stamp: number, nowMs = Date.now()): number {
  const clock = lruClock(nowMs);
  const ticks = clock >= stamp ? clock - stamp : clock + (LRU_CLOCK_MAX - stamp);
  return ticks * LRU_CLOCK_RESOLUTION_MS;
}

/** The stamp of a key idle for `seconds` (RESTORE ... IDLETIME). */
export function lruStampIdle(seconds: number, nowMs = Date.now()): number {
  const ticks = Math.floor((seconds * 1000) / LRU_CLOCK_RESOLUTION_MS);
  const clock = lruClock(nowMs);
  return ticks > clock ? (clock + LRU_CLOCK_MAX - ticks) & LRU_CLOCK_MAX : clock - ticks;
}

/** Minutes modulo 2^16 (LFUGetTimeInMinutes). */
function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 0xffff;
}

/** An LFU stamp holding `counter`, decremented from now on. */
export function lfuStamp(counter: number, nowMs = Date.now()): number {
  return (lfuMinutes(nowMs) << 8) | counter;
}

/** The counter after the decay due since the stamp (LFUDecrAndReturn), without storing it. */
export function lfuDecayed(stamp: number, decayTime: number, nowMs = Date.now()): number {
  const counter = stamp & 255;
  if (decayTime === 0) return counter;
  const last = stamp >>> 8;
  const now = lfuMinutes(nowMs);
  const elapsed = now >= last ? now - last : 65535 - last + now;
  const periods = Math.floor(elapsed / decayTime);
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}

/** The counter after one access: incremented with probability 1/((counter-5)*factor+1) (LFULogIncr). */
export function lfuIncrement(counter: number, logFactor: number): number {
  if (counter === 255) return 255;
  const base = counter - LFU_INIT_VAL < 0 ? 0 : counter - LFU_INIT_VAL;
  return Math.random() < 1 / (base * logFactor + 1) ? counter + 1 : counter;
}

/** The stamp after an access (updateLFU / the LRU clock). */
export function touchedStamp(old: number | undefined, policy: AccessPolicy, nowMs: number): number {
  if (!policy.lfu) return lruClock(nowMs);
  const counter = old === undefined ? LFU_INIT_VAL : lfuDecayed(old, policy.decayTime, nowMs);
  return lfuStamp(lfuIncrement(counter, policy.logFactor), nowMs);
}

/** The stamp of a key just created (createObject). */
export function newStamp(policy: AccessPolicy, nowMs: number): number {
  return policy.lfu ? lfuStamp(LFU_INIT_VAL, nowMs) : lruClock(nowMs);
}
