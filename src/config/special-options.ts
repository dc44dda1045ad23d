import { parseMemory } from './option-types';

/**
 * Options whose values have a grammar of their own, checked and written back as Redis does.
 * Each pair is a `validate` (Redis's error text, or null) and a `normalize` (the text CONFIG GET
 * then shows, from the new text and the previous value).
 */

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'];

/** client-output-buffer-limit: groups of "<class> <hard> <soft> <soft-seconds>". */
export function validateOutputBufferLimits(text: string): string | null {
  const words = text.split(' ').filter((w) => w !== '');
  if (words.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  for (let i = 0; i < words.length; i += 4) {
    const cls = words[i].toLowerCase();
    if (!OBUF_CLASSES.includes(cls) && cls !== 'replica') return 'Invalid client class specified in buffer limit configuration.';
    const seconds = words[i + 3];
    if (parseMemory(words[i + 1]) === null || parseMemory(words[i + 2]) === null || !/^\d+$/.test(seconds)) {
      return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    }
  }
  return null;
}

/** Only the classes named change; all three are shown, with byte counts ("replica" is "slave"). */
export function normalizeOutputBufferLimits(text: string, previous: string): string {
  const limits = new Map<string, string>();
  const apply = (value: string) => {
    const words = value.split(' ').filter((w) => w !== '');
    for (let i = 0; i + 3 < words.length; i += 4) {
      const cls = words[i].toLowerCase() === 'replica' ? 'slave' : words[i].toLowerCase();
      limits.set(cls, `${parseMemory(words[i + 1])} ${parseMemory(words[i + 2])} ${Number(words[i + 3])}`);
    }
  };
  apply(previous);
  apply(text);
  return OBUF_CLASSES.map((c) => `${c} ${limits.get(c) ?? '0 0 0'}`).join(' ');
}

/** notify-keyspace-events flags, in the order Redis writes them back; "A" is all the event classes. */
const EVENT_CLASSES = 'g$lshzxetd';
const ALL_FLAGS = 'g$lshzxetdnKEm';

export function validateKeyspaceEvents(text: string): string | null {
  for (const ch of text) if (ch !== 'A' && !ALL_FLAGS.includes(ch)) return 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.';
  return null;
}

/** The stored form: Redis's text, except that "n" stays after "A" (the flag is on; only the text drops it). */
export function normalizeKeyspaceEvents(text: string): string {
  const set = new Set(text.replaceAll('A', EVENT_CLASSES));
  const all = [...EVENT_CLASSES].every((c) => set.has(c));
  let out = all ? 'A' : [...EVENT_CLASSES].filter((c) => set.has(c)).join('');
  if (set.has('n')) out += 'n';
  for (const c of 'KEm') if (set.has(c)) out += c;
  return out;
}

/** What CONFIG GET shows: with every class set Redis writes "A", and "n" (not part of "A") is then not shown. */
export function displayKeyspaceEvents(value: string): string {
  return value.startsWith('A') ? value.replace('n', '') : value;
}

/** A number as C's strtod reads a whole word (decimal, hexadecimal, inf), or NaN. */
function wholeDouble(word: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(word)) return Number(word);
  if (/^[+-]?0x[0-9a-f]+$/i.test(word)) return (word.startsWith('-') ? -1 : 1) * Number(word.replace(/^[+-]/, ''));
  if (/^[+-]?inf(inity)?$/i.test(word)) return word.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

/** latency-tracking-info-percentiles: the percentiles INFO latencystats shows, or null if invalid. */
export function parsePercentiles(text: string): number[] | null {
  if (text === '') return [];
  const values = text.split(' ').map(wholeDouble);
  return values.some((v) => Number.isNaN(v) || v < 0 || v > 100) ? null : values;
}

export function validatePercentiles(text: string): string | null {
  if (text === '') return null;
  for (const v of text.split(' ').map(wholeDouble)) {
    if (Number.isNaN(v)) return 'Invalid latency-tracking-info-percentiles parameters';
    if (v < 0 || v > 100) return 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]';
  }
  return null;
}

/** As Redis prints a percentile: "%f" without its trailing zeros ("99.9", "100", "0.001"). */
export function formatPercentile(value: number): string {
  return value.toFixed(6).replace(/\.?0+$/, '');
}

export function normalizePercentiles(text: string): string {
  return (parsePercentiles(text) ?? []).map(formatPercentile).join(' ');
}

/** maxmemory-clients: a memory value, or a percentage (of maxmemory) up to 100, as Redis's PERCENT_CONFIG. */
export function validateMemoryOrPercent(text: string): string | null {
  if (parseMemory(text) !== null) return null;
  const m = /^(\d+)%$/.exec(text);
  if (m === null || !/^(0|[1-9]\d*)$/.test(m[1])) return 'argument must be a memory or percent value';
  if (Number(m[1]) > 100) return 'percentage argument must be less or equal to 100';
  return null;
}

/** CONFIG GET's form: bytes, or "N%". */
export function normalizeMemoryOrPercent(text: string): string {
  const bytes = parseMemory(text);
  return bytes !== null ? String(bytes) : text;
}

/** oom-score-adj-values: three integers (master, replica, background child) in -2000..2000. */
export function validateOomScoreValues(text: string): string | null {
  const words = text.split(' ').filter((w) => w !== '');
  if (words.length !== 3) return 'wrong number of arguments';
  for (const w of words) {
    if (!/^[+-]?\d+$/.test(w) || Number(w) < -2000 || Number(w) > 2000) return 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.';
  }
  return null;
}

/** CONFIG GET's form: the three numbers as integers. */
export function normalizeOomScoreValues(text: string): string {
  return text.split(' ').filter((w) => w !== '').map((w) => String(Number(w))).join(' ');
}
