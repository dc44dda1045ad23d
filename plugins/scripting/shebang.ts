import { SCRIPT_FLAG, SCRIPT_FLAG_NAMES } from './script-run';

/**
 * Redis's sdssplitargs: words separated by spaces, "double quotes" with \n \r \t \b \a \\ \"
 * and \xHH escapes, 'single quotes' with \' only. Null for unbalanced quotes (or a closing quote
 * not followed by a space).
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let p = 0;
  const n = line.length;
  const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
  for (;;) {
    while (p < n && isSpace(line[p])) p++;
    if (p >= n) return out;
    let inq = false;
    let insq = false;
    let done = false;
    let current = '';
    while (!done) {
      if (inq) {
        if (p >= n) return null;
        if (line[p] === '\\' && line[p + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(p + 2, p + 4))) {
          current += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (line[p] === '\\' && p + 1 < n) {
          p++;
          const c = line[p];
          current += c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === 'b' ? '\b' : c === 'a' ? '\x07' : c;
        } else if (line[p] === '"') {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          done = true;
        } else {
          current += line[p];
        }
      } else if (insq) {
        if (p >= n) return null;
        if (line[p] === '\\' && line[p + 1] === "'") {
          p++;
          current += "'";
        } else if (line[p] === "'") {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          done = true;
        } else {
          current += line[p];
        }
      } else if (p >= n) {
        done = true;
      } else {
        const c = line[p];
        if (isSpace(c)) done = true;
        else if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else current += c;
      }
      if (p < n) p++;
    }
    out.push(current);
  }
}

/** A script's flags from its shebang, and how long the shebang line is (0 without one). */
export type ShebangResult = { ok: true; flags: number; shebangLength: number } | { ok: false; error: string };

/** evalExtractShebangFlags: "#!lua flags=no-writes,allow-oom" on an EVAL script's first line. */
export function parseEvalShebang(body: string): ShebangResult {
  if (!body.startsWith('#!')) return { ok: true, flags: SCRIPT_FLAG.EVAL_COMPAT_MODE, shebangLength: 0 };
  const end = body.indexOf('\n');
  if (end < 0) return { ok: false, error: 'Invalid script shebang' };
  const parts = splitArgs(body.slice(0, end));
  if (parts === null || parts.length === 0) return { ok: false, error: 'Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { ok: false, error: `Unexpected engine in script shebang: ${parts[0]}` };
  let flags = 0;
  for (let j = 1; j < parts.length; j++) {
    const part = parts[j];
    if (!part.startsWith('flags=')) return { ok: false, error: `Unknown lua shebang option: ${part}` };
    const names = part.slice(6).split(',');
    // sdssplitlen of an empty string gives no element.
    if (part.length === 6) continue;
    for (const name of names) {
      const flag = SCRIPT_FLAG_NAMES.find(([n]) => n === name);
      if (flag === undefined) return { ok: false, error: `Unexpected flag in script shebang: ${name}` };
      flags |= flag[1];
    }
  }
  return { ok: true, flags, shebangLength: end };
}
