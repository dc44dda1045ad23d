import { Command, CommandModule, bytesToString, errors, isKeyword, parseInteger, type CommandContext } from 'redix-server';
import { BITMAPS_DOCS } from './bitmaps-docs';
import { bitpos, bitposInByte, popcount } from './bit-counting';
import { lookupStringRead, stringBytes } from './string-bits';

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1, group: 'bitmap', complexity: 'O(N)', flags: ['readonly'], aclCategories: ['@read', '@bitmap', '@slow'] } as const;

/** BYTE → 0, BIT → 1, anything else → -1. */
function indexUnit(arg: Buffer): number {
  if (isKeyword(arg, 'BIT')) return 1;
  if (isKeyword(arg, 'BYTE')) return 0;
  return -1;
}

/**
 * A byte range [start, end] (inclusive) resolved from user indexes as BITCOUNT and BITPOS do:
 * negative indexes from the end, clamped; in BIT units, the masks of the bits of the first and
 * last byte that lie outside the range.
 */
interface ByteRange {
  start: number;
  end: number;
  firstMask: number;
  lastMask: number;
}

function resolveRange(start: number, end: number, length: number, isBit: boolean): ByteRange {
  const total = isBit ? length * 8 : length;
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  let firstMask = 0;
  let lastMask = 0;
  if (isBit && start <= end) {
    firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
    lastMask = (1 << (7 - (end & 7))) - 1;
    start = Math.floor(start / 8);
    end = Math.floor(end / 8);
  }
  return { start, end, firstMask, lastMask };
}

/** The first `bit` in range r of buf, as BITPOS reports it (before the end_given adjustment). */
function findBit(buf: Buffer, r: ByteRange, bit: number): { pos: number; start: number; bytes: number } {
  let start = r.start;
  let bytes = r.end - r.start + 1;
  if (r.firstMask !== 0) {
    let byte = bit === 1 ? buf[start] & ~r.firstMask : buf[start] | r.firstMask;
    if (r.lastMask !== 0 && bytes === 1) byte = bit === 1 ? byte & ~r.lastMask : byte | r.lastMask;
    const pos = bitposInByte(byte, bit);
    if (bytes === 1 || (pos !== -1 && pos !== 8)) return { pos, start, bytes };
    start++;
    bytes--;
  }
  const whole = bytes - (r.lastMask !== 0 ? 1 : 0);
  if (whole > 0) {
    const pos = bitpos(buf, start, whole, bit);
    if (bytes === whole || (pos !== -1 && pos !== whole * 8)) return { pos, start, bytes };
    start += whole;
    bytes -= whole;
  }
  const byte = bit === 1 ? buf[r.end] & ~r.lastMask : buf[r.end] | r.lastMask;
  return { pos: bitposInByte(byte, bit), start, bytes };
}

@CommandModule()
export class BitcountBitposCommands {
  /** BITCOUNT key [start end [BYTE|BIT]] */
  @Command({ name: 'bitcount', arity: -2, ...KEY_1, since: '2.6.0', summary: 'Count set bits in a string', ...BITMAPS_DOCS.bitcount })
  bitcount(c: CommandContext, argv: Buffer[]): void {
    // Redis reads the key first: a missing key answers 0 whatever the other arguments.
    const value = lookupStringRead(c, bytesToString(argv[1]));
    if (value === null) return;
    if (value === undefined) {
      c.reply.integer(0);
      return;
    }
    if (argv.length === 2) {
      c.reply.integer(popcount(stringBytes(value), 0, value.length));
      return;
    }
    if (argv.length > 5 || argv.length === 3) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const start = parseInteger(argv[2]);
    const end = start === null ? null : parseInteger(argv[3]);
    if (start === null || end === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    if (start < 0 && end < 0 && start > end) {
      c.reply.integer(0);
      return;
    }
    const unit = argv.length === 5 ? indexUnit(argv[4]) : 0;
    if (unit < 0) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const r = resolveRange(start, end, value.length, unit === 1);
    if (r.start > r.end) {
      c.reply.integer(0);
      return;
    }
    const buf = stringBytes(value);
    let count = popcount(buf, r.start, r.end + 1);
    if (r.firstMask !== 0) count -= popcount(Buffer.of(buf[r.start] & r.firstMask), 0, 1);
    if (r.lastMask !== 0) count -= popcount(Buffer.of(buf[r.end] & r.lastMask), 0, 1);
    c.reply.integer(count);
  }

  /** BITPOS key bit [start [end [BYTE|BIT]]] */
  @Command({ name: 'bitpos', arity: -3, ...KEY_1, since: '2.8.7', summary: 'Find first bit set or clear in a string', ...BITMAPS_DOCS.bitpos })
  bitpos(c: CommandContext, argv: Buffer[]): void {
    const bit = parseInteger(argv[2]);
    if (bit === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    if (bit !== 0 && bit !== 1) {
      c.reply.error('ERR The bit argument must be 1 or 0.');
      return;
    }
    const value = lookupStringRead(c, bytesToString(argv[1]));
    if (value === null) return;
    // A missing key is an endless run of zeros.
    if (value === undefined) {
      c.reply.integer(bit === 1 ? -1 : 0);
      return;
    }
    if (argv.length > 6) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    let r: ByteRange = { start: 0, end: value.length - 1, firstMask: 0, lastMask: 0 };
    const endGiven = argv.length >= 5;
    if (argv.length >= 4) {
      const start = parseInteger(argv[3]);
      if (start === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      const unit = argv.length === 6 ? indexUnit(argv[5]) : 0;
      if (unit < 0) {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
      let end: number | null = unit === 1 ? value.length * 8 + 7 : value.length - 1;
      if (endGiven) end = parseInteger(argv[4]);
      if (end === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      r = resolveRange(start, end, value.length, unit === 1);
    }
    // An empty range holds neither a 0 nor a 1.
    if (r.start > r.end) {
      c.reply.integer(-1);
      return;
    }
    const found = findBit(stringBytes(value), r, bit);
    // With an explicit end the string is not taken as zero padded past it.
    if (endGiven && bit === 0 && found.pos === found.bytes * 8) c.reply.integer(-1);
    else c.reply.integer(found.pos === -1 ? -1 : found.pos + found.start * 8);
  }
}
