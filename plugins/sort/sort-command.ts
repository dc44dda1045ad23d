import {
  Command, CommandModule, NOTIFY, bytesToString, errors, isKeyword, parseInt64,
  type CommandContext, type DataTypeSpec, type KeyReference,
} from 'redix-server';
import { SortPattern } from './sort-pattern';
import { parseSortScore } from './sort-score';
import { SORT_DOCS } from './sort-docs';

const ERR_SCORES = "ERR One or more scores can't be converted into double";
const ERR_NO_LIST_TYPE = 'ERR SORT STORE needs the list data type, which no loaded plugin provides';
const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** One element being sorted, with its weight (numeric) or comparison text (ALPHA with BY). */
interface SortItem {
  element: string;
  score: number;
  text: string | undefined;
}

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  by: SortPattern | null;
  dontSort: boolean;
  store: string | null;
  gets: SortPattern[];
  limitStart: number;
  limitCount: number;
}

/** Byte order of latin1 strings (memcmp), which is also strcoll's order in the C locale. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumeric(a: SortItem, b: SortItem): number {
  if (a.score > b.score) return 1;
  if (a.score < b.score) return -1;
  // Equal weights: the elements themselves decide, so the result is deterministic.
  return compareBytes(a.element, b.element);
}

function compareAlphaBy(a: SortItem, b: SortItem): number {
  if (a.text === undefined || b.text === undefined) {
    if (a.text === b.text) return 0;
    return a.text === undefined ? -1 : 1;
  }
  return compareBytes(a.text, b.text);
}

function compareAlpha(a: SortItem, b: SortItem): number {
  return compareBytes(a.element, b.element);
}

/** A C long as getLongFromObjectOrReply reads it, clamped (only its sign and size matter here). */
function parseLong(arg: Buffer): number | null {
  const n = parseInt64(arg);
  if (n === null || n > LONG_MAX || n < LONG_MIN) return null;
  return Number(n);
}

/**
 * SORT's keys as Redis's sortGetKeys finds them (COMMAND GETKEYS): the sorted key, then the last
 * STORE destination; LIMIT's, GET's and BY's arguments are skipped, a STORE's is not.
 */
export function sortKeys(argv: readonly Buffer[]): KeyReference[] {
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    if (isKeyword(argv[i], 'LIMIT')) i += 2;
    else if (isKeyword(argv[i], 'GET') || isKeyword(argv[i], 'BY')) i += 1;
    else if (isKeyword(argv[i], 'STORE') && i + 1 < argv.length) store = i + 1;
  }
  return store < 0 ? [SORTED_KEY] : [SORTED_KEY, { pos: store, flags: ['OW', 'update'] }];
}

const SORTED_KEY: KeyReference = { pos: 1, flags: ['RO', 'access'] };

/** SORT_RO's: the sorted key (its key specs' BY/GET one is "unknown", so they cannot answer). */
function sortRoKeys(): KeyReference[] {
  return [SORTED_KEY];
}

const SPEC = { arity: -2, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).' } as const;

@CommandModule()
export class SortCommands {
  /** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination] */
  @Command({ name: 'sort', ...SPEC, flags: ['write', 'denyoom', 'movablekeys'], getKeys: sortKeys, since: '1.0.0', summary: 'Sort the elements in a list, set or sorted set', aclCategories: ['@write', '@set', '@sortedset', '@list', '@slow', '@dangerous'], ...SORT_DOCS.sort })
  sort(c: CommandContext, argv: Buffer[]): void {
    this.sortGeneric(c, argv, false);
  }

  /** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] */
  @Command({ name: 'sort_ro', ...SPEC, flags: ['readonly', 'movablekeys'], getKeys: sortRoKeys, since: '7.0.0', summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', aclCategories: ['@read', '@set', '@sortedset', '@list', '@slow', '@dangerous'], ...SORT_DOCS.sort_ro })
  sortRo(c: CommandContext, argv: Buffer[]): void {
    this.sortGeneric(c, argv, true);
  }

  private sortGeneric(c: CommandContext, argv: Buffer[], readonly: boolean): void {
    const options = this.parseOptionsOrReply(c, argv, readonly);
    if (options === null) return;
    const value = c.db.lookupRead(bytesToString(argv[1]));
    let spec: DataTypeSpec | undefined;
    if (value !== undefined) {
      spec = c.server.dataTypes.of(value);
      if (spec === undefined || spec.sortElements === undefined) {
        c.reply.error(errors.ERR_WRONGTYPE);
        return;
      }
    }
    const elements = value === undefined ? [] : Array.from(spec!.sortElements!(value));
    let { dontSort, alpha, by } = options;
    // An unsorted set would come out in hash order: results that are stored or go to a script are
    // sorted so replicas agree (Redis's sortCommandGeneric does the same for CLIENT_SCRIPT).
    if (dontSort && spec?.name === 'set' && (options.store !== null || c.isScript)) {
      dontSort = false;
      alpha = true;
      by = null;
    }
    const length = elements.length;
    let start = Math.min(Math.max(options.limitStart, 0), length);
    const limitCount = Math.min(Math.max(options.limitCount, -1), length);
    let end = limitCount < 0 ? length - 1 : start + limitCount - 1;
    if (start >= length) {
      start = length - 1;
      end = length - 2;
    }
    if (end >= length) end = length - 1;

    let items: SortItem[];
    if (dontSort) {
      // Native order (a list's, a sorted set's ranks), DESC reversing it.
      if (options.desc && spec?.name !== 'set') elements.reverse();
      items = elements.map((element) => ({ element, score: 0, text: undefined }));
    } else {
      items = elements.map((element) => ({ element, score: 0, text: undefined }));
      let conversionError = false;
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        let weight: string | undefined = item.element;
        if (by !== null) {
          weight = by.lookup(c, item.element);
          if (weight === undefined) continue;
        }
        if (alpha) {
          if (by !== null) item.text = weight;
        } else {
          const score = parseSortScore(weight);
          if (score === null) conversionError = true;
          else item.score = score;
        }
      }
      if (conversionError) {
        c.reply.error(ERR_SCORES);
        return;
      }
      const compare = !alpha ? compareNumeric : by !== null ? compareAlphaBy : compareAlpha;
      // DESC negates the comparison (not a reversal), so equal elements keep their order as in Redis.
      items.sort(options.desc ? (a, b) => compare(b, a) : compare);
    }
    this.output(c, options, items, start, end);
  }

  private output(c: CommandContext, options: SortOptions, items: SortItem[], start: number, end: number): void {
    const gets = options.gets;
    const count = end - start + 1;
    const outputLength = gets.length > 0 ? gets.length * count : count;
    if (options.store === null) {
      c.reply.array(outputLength);
      for (let j = start; j <= end; j++) {
        const element = items[j].element;
        if (gets.length === 0) c.reply.bulk(element);
        for (let g = 0; g < gets.length; g++) {
          const found = gets[g].lookup(c, element);
          if (found === undefined) c.reply.nullBulk();
          else c.reply.bulk(found);
        }
      }
      return;
    }
    const result: string[] = [];
    for (let j = start; j <= end; j++) {
      const element = items[j].element;
      if (gets.length === 0) result.push(element);
      for (let g = 0; g < gets.length; g++) result.push(gets[g].lookup(c, element) ?? '');
    }
    const key = options.store;
    if (outputLength > 0) {
      const listType = c.server.dataTypes.get('list');
      if (listType?.fromElements === undefined) {
        c.reply.error(ERR_NO_LIST_TYPE);
        return;
      }
      c.db.set(key, listType.fromElements(result));
      if (outputLength > 1) c.db.markDirty(outputLength - 1);
      c.notifyKeyspaceEvent(NOTIFY.LIST, 'sortstore', key);
    } else if (c.db.delete(key)) {
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    }
    c.reply.integer(outputLength);
  }

  /** The options of argv[2..], or null after replying an error (Redis parses them before the key). */
  private parseOptionsOrReply(c: CommandContext, argv: Buffer[], readonly: boolean): SortOptions | null {
    const options: SortOptions = { desc: false, alpha: false, by: null, dontSort: false, store: null, gets: [], limitStart: 0, limitCount: -1 };
    for (let j = 2; j < argv.length; j++) {
      const left = argv.length - j - 1;
      const arg = argv[j];
      if (isKeyword(arg, 'ASC')) {
        options.desc = false;
      } else if (isKeyword(arg, 'DESC')) {
        options.desc = true;
      } else if (isKeyword(arg, 'ALPHA')) {
        options.alpha = true;
      } else if (isKeyword(arg, 'LIMIT') && left >= 2) {
        const startArg = parseLong(argv[j + 1]);
        const countArg = startArg === null ? null : parseLong(argv[j + 2]);
        if (startArg === null || countArg === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return null;
        }
        options.limitStart = startArg;
        options.limitCount = countArg;
        j += 2;
      } else if (!readonly && isKeyword(arg, 'STORE') && left >= 1) {
        options.store = bytesToString(argv[++j]);
      } else if (isKeyword(arg, 'BY') && left >= 1) {
        const pattern = bytesToString(argv[++j]);
        // A constant BY (no '*') weighs nothing: the elements keep their native order.
        options.dontSort = !pattern.includes('*');
        options.by = new SortPattern(pattern);
      } else if (isKeyword(arg, 'GET') && left >= 1) {
        options.gets.push(new SortPattern(bytesToString(argv[++j])));
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return null;
      }
    }
    return options;
  }
}
