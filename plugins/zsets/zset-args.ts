import { parseDouble } from 'redix-server';
import { MAX_LEX, MIN_LEX, type LexRange, type ScoreRange } from './skiplist';

export const ERR_MIN_MAX_NOT_FLOAT = 'ERR min or max is not a float';
export const ERR_MIN_MAX_NOT_LEX = 'ERR min or max not valid string range item';
export const ERR_NAN_SCORE = 'ERR resulting score is not a number (NaN)';

function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * A range bound's number as Redis reads it (strtod that must use the whole text, NaN refused):
 * unlike a ZADD score, leading spaces are allowed and an empty text is 0.
 */
function parseBound(text: string): number | null {
  if (text.length === 0) return 0;
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return null;
  if (text.toLowerCase().startsWith('nan', i)) return null;
  return parseDouble(i === 0 ? text : text.slice(i));
}

/** ZRANGEBYSCORE-style `min max`: numbers, `(` for exclusive, inf/-inf; null when invalid. */
export function parseScoreRange(minArg: Buffer, maxArg: Buffer): ScoreRange | null {
  const minText = minArg.latin1Slice(0, minArg.length);
  const maxText = maxArg.latin1Slice(0, maxArg.length);
  const minex = minText.charCodeAt(0) === 40;
  const maxex = maxText.charCodeAt(0) === 40;
  const min = parseBound(minex ? minText.slice(1) : minText);
  const max = parseBound(maxex ? maxText.slice(1) : maxText);
  if (min === null || max === null) return null;
  return { min, max, minex, maxex };
}

function parseLexItem(text: string, out: LexRange, isMin: boolean): boolean {
  const c0 = text.charCodeAt(0);
  let value: string | symbol;
  let exclusive = false;
  if (c0 === 43 && text.length === 1) value = MAX_LEX;
  else if (c0 === 45 && text.length === 1) value = MIN_LEX;
  else if (c0 === 40 || c0 === 91) {
    value = text.slice(1);
    exclusive = c0 === 40;
  } else return false;
  if (isMin) {
    out.min = value;
    out.minex = exclusive;
  } else {
    out.max = value;
    out.maxex = exclusive;
  }
  return true;
}

/** ZRANGEBYLEX-style `min max`: `[a`, `(a`, `-`, `+`; null when invalid. */
export function parseLexRange(minArg: Buffer, maxArg: Buffer): LexRange | null {
  const r: LexRange = { min: MIN_LEX, max: MAX_LEX, minex: false, maxex: false };
  if (!parseLexItem(minArg.latin1Slice(0, minArg.length), r, true)) return null;
  if (!parseLexItem(maxArg.latin1Slice(0, maxArg.length), r, false)) return null;
  return r;
}

/** True when no score can be in the range (min above max, or equal with an exclusive end). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** True when no member can be in the range. */
export function lexRangeEmpty(r: LexRange): boolean {
  if (r.min === MAX_LEX || r.max === MIN_LEX) return true;
  if (typeof r.min === 'symbol' || typeof r.max === 'symbol') return false;
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/**
 * A ZADD/ZINCRBY score as Redis's getDoubleFromObject reads it: strtod over the whole text, no
 * leading space, NaN refused, and out-of-range texts (overflow to inf, underflow to 0) refused as
 * strtod's ERANGE is.
 */
export function parseScore(arg: Buffer): number | null {
  const d = parseDouble(arg);
  if (d === null) return null;
  if (d === Infinity || d === -Infinity) {
    // Only the words inf/infinity may give an infinity.
    return arg.indexOf(105) >= 0 || arg.indexOf(73) >= 0 ? d : null;
  }
  if (d === 0) {
    const text = arg.latin1Slice(0, arg.length).toLowerCase();
    const mantissa = text.startsWith('0x', text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0) ? text.replace(/p.*$/, '').slice(2) : text.replace(/e.*$/, '');
    if (/[1-9a-f]/.test(mantissa.replace(/^[+-]?0x/, ''))) return null;
  }
  return d;
}
