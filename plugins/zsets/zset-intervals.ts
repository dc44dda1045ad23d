/** Score and member intervals, as ZRANGEBYSCORE and ZRANGEBYLEX take them. */
/** A score interval; exclusive ends are the `(` form. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** A member interval; `-`/`+` (every member before/after) are the MIN_LEX/MAX_LEX sentinels. */
export interface LexRange {
  min: string | symbol;
  max: string | symbol;
  minex: boolean;
  maxex: boolean;
}

export const MIN_LEX = Symbol('-');
export const MAX_LEX = Symbol('+');

export function scoreAboveMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}
export function scoreBelowMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}
export function lexAboveMin(member: string, r: LexRange): boolean {
  if (r.min === MIN_LEX) return true;
  if (r.min === MAX_LEX) return false;
  return r.minex ? member > (r.min as string) : member >= (r.min as string);
}
export function lexBelowMax(member: string, r: LexRange): boolean {
  if (r.max === MAX_LEX) return true;
  if (r.max === MIN_LEX) return false;
  return r.maxex ? member < (r.max as string) : member <= (r.max as string);
}
