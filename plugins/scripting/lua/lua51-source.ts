const BACKSLASH = 0x5c;
/** Escapes Lua 5.1 knows: \a \b \f \n \r \t \v \\ \" \' \<newline> and \ddd. */
const KNOWN = new Set([0x61, 0x62, 0x66, 0x6e, 0x72, 0x74, 0x76, BACKSLASH, 0x22, 0x27, 0x0a, 0x0d]);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Length of a long bracket opening `[=*[` at `i`, or 0. */
function longBracket(src: Uint8Array, i: number): number {
  if (src[i] !== 0x5b) return 0;
  let j = i + 1;
  while (src[j] === 0x3d) j++;
  return src[j] === 0x5b ? j - i + 1 : 0;
}

/** Index just past the long bracket closing `]=*]` with `level` equal signs, from `i`. */
function skipLong(src: Uint8Array, i: number, level: number): number {
  for (let j = i; j < src.length; j++) {
    if (src[j] !== 0x5d) continue;
    let k = j + 1;
    let n = 0;
    while (src[k] === 0x3d) {
      k++;
      n++;
    }
    if (n === level && src[k] === 0x5d) return k + 1;
  }
  return src.length;
}

/**
 * Script source as Lua 5.1 reads its string literals: 5.1 takes a backslash before a character
 * it has no escape for as that character ("\." is ".", "\x41" is "x41", "\d" is "d"), where 5.3
 * reads \x, \z and \u{} escapes and refuses unknown ones. Those backslashes are dropped, so
 * fengari sees what 5.1 saw; line numbers do not change. Without a backslash, the source is
 * returned as it is.
 */
export function lua51Source(src: Buffer): Buffer {
  if (src.indexOf(BACKSLASH) < 0) return src;
  const drop: number[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src[i];
    if (c === 0x2d && src[i + 1] === 0x2d) {
      const open = longBracket(src, i + 2);
      if (open > 0) {
        i = skipLong(src, i + 2 + open, open - 2);
      } else {
        while (i < n && src[i] !== 0x0a) i++;
      }
      continue;
    }
    const open = longBracket(src, i);
    if (open > 0) {
      i = skipLong(src, i + open, open - 2);
      continue;
    }
    if (c === 0x22 || c === 0x27) {
      i++;
      while (i < n && src[i] !== c && src[i] !== 0x0a) {
        if (src[i] === BACKSLASH && i + 1 < n) {
          const e = src[i + 1];
          if (!KNOWN.has(e) && !isDigit(e)) drop.push(i);
          i += 2;
          continue;
        }
        i++;
      }
      i++;
      continue;
    }
    i++;
  }
  if (drop.length === 0) return src;
  const out = Buffer.allocUnsafe(n - drop.length);
  let from = 0;
  let at = 0;
  for (const d of drop) {
    src.copy(out, at, from, d);
    at += d - from;
    from = d + 1;
  }
  src.copy(out, at, from, n);
  return out;
}
