import type { Prng } from './prng';

/**
 * Expiry arguments for the random differential test.
 *
 * Two servers receive each command a fraction of a millisecond apart, so a TTL comparison (GT/LT,
 * NX after a near-equal time) must never hinge on one millisecond. Every future time is therefore
 * base + 3 s * serial, the serial growing with each time generated in an episode: two generated
 * times always differ by at least 2 s, whatever their unit. Past and invalid times are fixed.
 * No short positive TTL is generated: a key must not expire between two commands.
 */
export interface TimeSource {
  /** Bumped per generated time; reset with the data set at each episode. */
  serial: number;
}

const BASES_S = [1000, 5000, 100000];

function nextOffsetMs(rng: Prng, t: TimeSource): number {
  t.serial++;
  return rng.pick(BASES_S) * 1000 + t.serial * 3000;
}

/** Seconds from now (EX, SETEX, EXPIRE). */
export function relativeSeconds(rng: Prng, t: TimeSource): string {
  return rng.weighted<() => string>([
    [10, () => String(nextOffsetMs(rng, t) / 1000)],
    [1, () => String(1e12 + nextOffsetMs(rng, t) / 1000)],
    [2, () => rng.pick(['0', '-1', '-100'])],
    [1, () => rng.pick(['9223372036854775807', '9223372036854775', '9223372036854776', '-9223372036854775808'])],
    [1, () => rng.pick(['abc', '1.5', '', ' 10', '10 '])],
  ])();
}

/** Milliseconds from now (PX, PSETEX, PEXPIRE). */
export function relativeMillis(rng: Prng, t: TimeSource): string {
  return rng.weighted<() => string>([
    [10, () => String(nextOffsetMs(rng, t))],
    [2, () => rng.pick(['0', '-1', '-1000'])],
    [1, () => rng.pick(['9223372036854775807', '9223372036854775000', '-9223372036854775808'])],
    [1, () => rng.pick(['abc', '100.5', ''])],
  ])();
}

/** A unix time in seconds (EXAT, EXPIREAT). */
export function absoluteSeconds(rng: Prng, t: TimeSource): string {
  return rng.weighted<() => string>([
    [10, () => String(Math.floor(Date.now() / 1000) + nextOffsetMs(rng, t) / 1000)],
    [3, () => rng.pick(['1', '0', '-1', '100', String(Math.floor(Date.now() / 1000) - 10)])],
    [1, () => rng.pick(['9223372036854775807', '9223372036854775', '9223372036854776'])],
    [1, () => rng.pick(['abc', '1.5'])],
  ])();
}

/** A unix time in milliseconds (PXAT, PEXPIREAT). */
export function absoluteMillis(rng: Prng, t: TimeSource): string {
  return rng.weighted<() => string>([
    [10, () => String(Date.now() + nextOffsetMs(rng, t))],
    [3, () => rng.pick(['1', '0', '-1', '1000', String(Date.now() - 10_000)])],
    [1, () => rng.pick(['9223372036854775807', '-9223372036854775808'])],
    [1, () => rng.pick(['abc', '1.5'])],
  ])();
}

/** True when a time argument lies in the past (a key set with it is logically expired at once). */
export function isPastAbsolute(arg: string, unit: 's' | 'ms'): boolean {
  if (!/^-?\d+$/.test(arg)) return false;
  const ms = unit === 's' ? Number(arg) * 1000 : Number(arg);
  return ms > 0 && ms < Date.now();
}
