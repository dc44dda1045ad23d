/**
 * The AOF manifest of Redis 7's multi-part AOF: one line per file,
 * `file <name> seq <n> type <b|h|i>`, base first, then history, then incremental files. Names that
 * need it are quoted the way Redis's sdscatrepr quotes them and read back with sdssplitargs rules,
 * so real Redis and redis-check-aof read what we write and the other way round.
 */

export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

export interface AofManifest {
  base: AofFileInfo | null;
  history: AofFileInfo[];
  incr: AofFileInfo[];
  /** Highest base sequence number used so far. */
  baseSeq: number;
  /** Highest incremental sequence number used so far. */
  incrSeq: number;
}

export class ManifestError extends Error {
  constructor(message: string, readonly lineNumber = 0, readonly line = '') {
    super(message);
  }
}

/** Longest manifest line Redis reads (MANIFEST_MAX_LINE). */
const MAX_LINE = 1024;

export function emptyManifest(): AofManifest {
  return { base: null, history: [], incr: [], baseSeq: 0, incrSeq: 0 };
}

export function cloneManifest(m: AofManifest): AofManifest {
  return {
    base: m.base === null ? null : { ...m.base },
    history: m.history.map((f) => ({ ...f })),
    incr: m.incr.map((f) => ({ ...f })),
    baseSeq: m.baseSeq,
    incrSeq: m.incrSeq,
  };
}

/** Manifest text: base, history, incremental files, one line each. */
export function formatManifest(m: AofManifest): string {
  let out = '';
  const line = (f: AofFileInfo) => {
    out += `file ${quoteIfNeeded(f.name)} seq ${f.seq} type ${f.type}\n`;
  };
  if (m.base !== null) line(m.base);
  m.history.forEach(line);
  m.incr.forEach(line);
  return out;
}

/** Parses manifest bytes with Redis's checks and messages; throws ManifestError. */
export function parseManifest(bytes: Buffer): AofManifest {
  const m = emptyManifest();
  // Read as bytes (latin1), as Redis does; names are decoded as UTF-8 once split.
  const text = bytes.toString('latin1');
  if (text.length === 0) throw new ManifestError('Found an empty AOF manifest');
  let maxIncrSeq = 0;
  let lineNumber = 0;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const raw = nl < 0 ? text.slice(pos) : text.slice(pos, nl + 1);
    pos = nl < 0 ? text.length : nl + 1;
    lineNumber++;
    if (raw.startsWith('#')) continue;
    // Redis reads lines with fgets: a line without its newline (too long, or the last one) is refused.
    if (!raw.endsWith('\n') || raw.length > MAX_LINE) {
      throw new ManifestError('The AOF manifest file contains too long line', lineNumber, raw);
    }
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '') throw new ManifestError('Invalid AOF manifest file format', lineNumber, line);
    const args = splitArgs(line);
    if (args === null || args.length < 6 || args.length % 2 !== 0) {
      throw new ManifestError('Invalid AOF manifest file format', lineNumber, line);
    }
    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < args.length; i += 2) {
      const key = args[i].toLowerCase();
      if (key === 'file') {
        name = Buffer.from(args[i + 1], 'latin1').toString('utf8');
        if (name.includes('/')) throw new ManifestError("File can't be a path, just a filename", lineNumber, line);
      } else if (key === 'seq') {
        seq = parseLeadingInt(args[i + 1]);
      } else if (key === 'type') {
        type = args[i + 1].charAt(0);
      }
      // Other keys are ignored, for forward compatibility (as Redis does).
    }
    if (name === null || name === '' || seq === 0 || type === '') {
      throw new ManifestError('Invalid AOF manifest file format', lineNumber, line);
    }
    if (type === 'b') {
      if (m.base !== null) throw new ManifestError('Found duplicate base file information', lineNumber, line);
      m.base = { name, seq, type };
      m.baseSeq = seq;
    } else if (type === 'h') {
      m.history.push({ name, seq, type });
    } else if (type === 'i') {
      if (seq <= maxIncrSeq) throw new ManifestError('Found a non-monotonic sequence number', lineNumber, line);
      m.incr.push({ name, seq, type });
      m.incrSeq = seq;
      maxIncrSeq = seq;
    } else {
      throw new ManifestError('Unknown AOF file type', lineNumber, line);
    }
  }
  return m;
}

/** atoll: optional blanks and sign, then digits up to the first non-digit. */
function parseLeadingInt(s: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return match === null ? 0 : Number(match[1]);
}

const SPACE = /[ \t\n\v\f\r]/;

/**
 * Redis's sdssplitargs over a byte string (latin1): blanks separate words; "..." with C escapes
 * and \xHH; '...' with \'. Returns null on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let p = 0;
  const n = line.length;
  for (;;) {
    while (p < n && SPACE.test(line[p])) p++;
    if (p >= n) return out;
    let current = '';
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const ch = p < n ? line[p] : '';
      if (inDouble) {
        if (ch === '\\' && line[p + 1] === 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
          current += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (ch === '\\' && p + 1 < n) {
          p++;
          const e = line[p];
          current += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (ch === '"') {
          if (p + 1 < n && !SPACE.test(line[p + 1])) return null;
          p++;
          break;
        } else if (ch === '') {
          return null;
        } else {
          current += ch;
        }
      } else if (inSingle) {
        if (ch === '\\' && line[p + 1] === "'") {
          p++;
          current += "'";
        } else if (ch === "'") {
          if (p + 1 < n && !SPACE.test(line[p + 1])) return null;
          p++;
          break;
        } else if (ch === '') {
          return null;
        } else {
          current += ch;
        }
      } else if (ch === '' || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') {
        break;
      } else if (ch === '"') {
        inDouble = true;
      } else if (ch === "'") {
        inSingle = true;
      } else {
        current += ch;
      }
      p++;
    }
    out.push(current);
  }
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** Redis's sdsneedsrepr + sdscatrepr: plain names stay bare, others are quoted with escapes. */
export function quoteIfNeeded(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  let needs = false;
  for (const b of bytes) {
    // Redis leaves a single quote bare, which its own reader then takes for a quote: quote it.
    if (b === 0x5c || b === 0x22 || b === 0x27 || b <= 0x20 || b >= 0x7f) {
      needs = true;
      break;
    }
  }
  if (!needs) return name;
  let out = '"';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x07) out += '\\a';
    else if (b === 0x08) out += '\\b';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
}
