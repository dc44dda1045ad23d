/**
 * Redis glob patterns (KEYS, SCAN MATCH, HSCAN MATCH, CONFIG GET): `*`, `?`, `[abc]`, `[^a]`,
 * `[a-z]` and `\` escapes. Every token but `*` matches exactly one character, so matching
 * backtracks only to the last `*`: O(pattern × subject) at worst, never exponential
 * (a pattern like `a*a*a*a*a*b` once froze Redis itself: CVE-2022-36021).
 */
const STAR = 0;
const ANY = 1;
const LITERAL = 2;
const CLASS = 3;

interface Token {
  kind: number;
  code: number;
  /** For CLASS: inclusive [from, to] ranges, and whether the class is negated. */
  ranges: number[] | null;
  negate: boolean;
}

export type GlobMatcher = (subject: string) => boolean;

const MATCH_ALL: GlobMatcher = () => true;

export function compileGlob(pattern: string, nocase = false): GlobMatcher {
  if (pattern === '*') return MATCH_ALL;
  const tokens = tokenize(nocase ? pattern.toLowerCase() : pattern);
  return (subject: string) => matchTokens(tokens, nocase ? subject.toLowerCase() : subject);
}

export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  return compileGlob(pattern, nocase)(subject);
}

function tokenize(p: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = p.length;
  while (i < n) {
    const c = p.charCodeAt(i);
    if (c === 42 /* * */) {
      // Consecutive stars are one star.
      while (i < n && p.charCodeAt(i) === 42) i++;
      tokens.push({ kind: STAR, code: 0, ranges: null, negate: false });
      continue;
    }
    if (c === 63 /* ? */) {
      tokens.push({ kind: ANY, code: 0, ranges: null, negate: false });
      i++;
      continue;
    }
    if (c === 92 /* \ */ && i + 1 < n) {
      tokens.push({ kind: LITERAL, code: p.charCodeAt(i + 1), ranges: null, negate: false });
      i += 2;
      continue;
    }
    if (c === 91 /* [ */) {
      i++;
      let negate = false;
      if (i < n && p.charCodeAt(i) === 94 /* ^ */) {
        negate = true;
        i++;
      }
      const ranges: number[] = [];
      for (;;) {
        if (i >= n) break; // unterminated class: the pattern's end closes it, as in Redis
        const d = p.charCodeAt(i);
        if (d === 92 && i + 1 < n) {
          const lit = p.charCodeAt(i + 1);
          ranges.push(lit, lit);
          i += 2;
        } else if (d === 93 /* ] */) {
          i++;
          break;
        } else if (i + 2 < n && p.charCodeAt(i + 1) === 45 /* - */) {
          let from = d;
          let to = p.charCodeAt(i + 2);
          if (from > to) [from, to] = [to, from];
          ranges.push(from, to);
          i += 3;
        } else {
          ranges.push(d, d);
          i++;
        }
      }
      tokens.push({ kind: CLASS, code: 0, ranges, negate });
      continue;
    }
    tokens.push({ kind: LITERAL, code: c, ranges: null, negate: false });
    i++;
  }
  return tokens;
}

function matchOne(t: Token, c: number): boolean {
  if (t.kind === ANY) return true;
  if (t.kind === LITERAL) return t.code === c;
  const r = t.ranges!;
  let found = false;
  for (let i = 0; i < r.length; i += 2) {
    if (c >= r[i] && c <= r[i + 1]) {
      found = true;
      break;
    }
  }
  return found !== t.negate;
}

function matchTokens(tokens: Token[], s: string): boolean {
  // Redis's matcher never enters its loop for an empty subject, so only an empty pattern matches
  // it: "**" does not match "" (callers treat a lone "*" as match-all before matching).
  if (s.length === 0) return tokens.length === 0;
  let ti = 0;
  let si = 0;
  let starTi = -1;
  let starSi = 0;
  const tn = tokens.length;
  const sn = s.length;
  while (si < sn) {
    if (ti < tn && tokens[ti].kind === STAR) {
      starTi = ti++;
      starSi = si;
    } else if (ti < tn && matchOne(tokens[ti], s.charCodeAt(si))) {
      ti++;
      si++;
    } else if (starTi >= 0) {
      ti = starTi + 1;
      si = ++starSi;
    } else {
      return false;
    }
  }
  while (ti < tn && tokens[ti].kind === STAR) ti++;
  return ti === tn;
}
