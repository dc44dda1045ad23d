import { Command, CommandModule, TOKENS, bytesToString, errors, inject, isKeyword, parseInteger, type CommandContext, type ConfigStore } from 'redix-server';
import { StringLimits } from './string-limits';
import { STRINGS_DOCS } from './strings-docs';

/** One run of matching bytes, as LCS IDX reports it (inclusive ranges in each string). */
interface MatchRange {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * The classic dynamic-programming table: cell (i, j) holds the LCS length of a[0..i) and
 * b[0..j), stored row by row with rows of b.length + 1 cells.
 */
function lcsTable(a: string, b: string): Uint32Array {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * width;
    const above = row - width;
    for (let j = 1; j <= b.length; j++) {
      if (ca === b.charCodeAt(j - 1)) {
        table[row + j] = table[above + j - 1] + 1;
      } else {
        const up = table[above + j];
        const left = table[row + j - 1];
        table[row + j] = up > left ? up : left;
      }
    }
  }
  return table;
}

/** The LCS length alone, with two rows instead of the whole table. */
function lcsLength(a: string, b: string): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      if (ca === b.charCodeAt(j - 1)) current[j] = previous[j - 1] + 1;
      else current[j] = previous[j] > current[j - 1] ? previous[j] : current[j - 1];
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/**
 * Walks the table back from the end, building the common subsequence and the runs of matches.
 * The walk's choices (prefer moving in b on ties) and the moments a run is closed decide which of
 * several equally long answers is given: they follow Redis so replies are identical.
 */
function walkBack(a: string, b: string, table: Uint32Array, matches: MatchRange[] | null): string {
  const width = b.length + 1;
  let remaining = table[a.length * width + b.length];
  const out = Buffer.allocUnsafe(remaining);
  let i = a.length;
  let j = b.length;
  let open = false;
  let run: MatchRange = { aStart: 0, aEnd: 0, bStart: 0, bEnd: 0 };
  while (i > 0 && j > 0) {
    let close = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out[remaining - 1] = a.charCodeAt(i - 1);
      if (!open) {
        open = true;
        run = { aStart: i - 1, aEnd: i - 1, bStart: j - 1, bEnd: j - 1 };
      } else if (run.aStart === i && run.bStart === j) {
        run.aStart--;
        run.bStart--;
      } else {
        close = true;
      }
      // A run touching the start of either string is the last one: close it now.
      if (run.aStart === 0 || run.bStart === 0) close = true;
      remaining--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (open) close = true;
    }
    if (close) {
      if (matches !== null) matches.push(run);
      open = false;
    }
  }
  return out.latin1Slice(0, out.length);
}

@CommandModule()
export class LcsCommand {
  private readonly limits: StringLimits;

  constructor(@inject(TOKENS.Config) config: ConfigStore) {
    this.limits = new StringLimits(config);
  }

  /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
  @Command({ name: 'lcs', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 2, keyStep: 1, group: 'string', since: '7.0.0', summary: 'Find longest common substring', complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively', aclCategories: ['@read', '@string', '@slow'], ...STRINGS_DOCS.lcs })
  lcs(c: CommandContext, argv: Buffer[]): void {
    const first = c.db.lookupRead(bytesToString(argv[1]));
    const second = c.db.lookupRead(bytesToString(argv[2]));
    if ((first !== undefined && typeof first !== 'string') || (second !== undefined && typeof second !== 'string')) {
      c.reply.error('ERR The specified keys must contain string values');
      return;
    }
    const a = first ?? '';
    const b = second ?? '';
    let wantLength = false;
    let wantIndexes = false;
    let withMatchLength = false;
    let minMatchLength = 0;
    for (let j = 3; j < argv.length; j++) {
      if (isKeyword(argv[j], 'IDX')) {
        wantIndexes = true;
      } else if (isKeyword(argv[j], 'LEN')) {
        wantLength = true;
      } else if (isKeyword(argv[j], 'WITHMATCHLEN')) {
        withMatchLength = true;
      } else if (isKeyword(argv[j], 'MINMATCHLEN') && j < argv.length - 1) {
        const n = parseInteger(argv[++j]);
        if (n === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return;
        }
        minMatchLength = Math.max(0, n);
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    if (wantLength && wantIndexes) {
      c.reply.error('ERR If you want both the length and indexes, please just use IDX.');
      return;
    }
    // Redis refuses a table (4 bytes a cell) larger than proto-max-bulk-len.
    if ((a.length + 1) * (b.length + 1) * 4 > this.limits.maxBulkLen) {
      c.reply.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
      return;
    }
    if (wantLength) {
      c.reply.integer(lcsLength(a, b));
      return;
    }
    let table: Uint32Array;
    try {
      table = lcsTable(a, b);
    } catch {
      c.reply.error('ERR Insufficient memory, failed allocating transient memory for LCS');
      return;
    }
    if (!wantIndexes) {
      c.reply.bulk(walkBack(a, b, table, null));
      return;
    }
    const matches: MatchRange[] = [];
    walkBack(a, b, table, matches);
    const r = c.reply;
    r.map(2);
    r.bulk('matches');
    let shown = 0;
    for (const m of matches) if (m.aEnd - m.aStart + 1 >= minMatchLength) shown++;
    r.array(shown);
    for (const m of matches) {
      const length = m.aEnd - m.aStart + 1;
      if (length < minMatchLength) continue;
      r.array(withMatchLength ? 3 : 2);
      r.array(2);
      r.integer(m.aStart);
      r.integer(m.aEnd);
      r.array(2);
      r.integer(m.bStart);
      r.integer(m.bEnd);
      if (withMatchLength) r.integer(length);
    }
    r.bulk('len');
    r.integer(table[table.length - 1]);
  }
}
