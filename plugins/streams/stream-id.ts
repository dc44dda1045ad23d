/**
 * Stream entry IDs: two unsigned 64-bit halves, milliseconds and sequence. They are bigints so
 * the whole range Redis accepts (up to 18446744073709551615-18446744073709551615) is exact.
 */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export const U64_MAX = 0xffffffffffffffffn;
export const ZERO_ID: StreamId = { ms: 0n, seq: 0n };
export const MAX_ID: StreamId = { ms: U64_MAX, seq: U64_MAX };

export const ERR_INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';

export function makeId(ms: bigint, seq: bigint): StreamId {
  return { ms, seq };
}

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms > b.ms ? 1 : -1;
  if (a.seq !== b.seq) return a.seq > b.seq ? 1 : -1;
  return 0;
}

export function isZeroId(id: StreamId): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** The last millisecond part formatted: consecutive IDs mostly share it (XADD *, ranges). */
let cachedMs = -1n;
let cachedMsText = '';

export function formatId(id: StreamId): string {
  if (id.ms !== cachedMs) {
    cachedMs = id.ms;
    cachedMsText = id.ms.toString();
  }
  return cachedMsText + '-' + id.seq.toString();
}

/** The next ID, or null past the last possible one (streamIncrID). */
export function incrId(id: StreamId): StreamId | null {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return null;
    return { ms: id.ms + 1n, seq: 0n };
  }
  return { ms: id.ms, seq: id.seq + 1n };
}

/** The previous ID, or null before 0-0 (streamDecrID). */
export function decrId(id: StreamId): StreamId | null {
  if (id.seq === 0n) {
    if (id.ms === 0n) return null;
    return { ms: id.ms - 1n, seq: U64_MAX };
  }
  return { ms: id.ms, seq: id.seq - 1n };
}

/**
 * An unsigned 64-bit decimal as Redis's string2ull reads it: string2ll first (negatives refused),
 * then strtoull, which also takes leading blanks, a '+', leading zeros and "-0". null if invalid.
 */
function parseU64(s: string): bigint | null {
  const n = s.length;
  let i = 0;
  while (i < n && isBlank(s.charCodeAt(i))) i++;
  let negative = false;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) negative = s.charCodeAt(i++) === 45;
  if (i === n) return null;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(s.slice(i));
  if (v > U64_MAX) return null;
  // A valid negative number is refused by string2ll; strtoull's negation only yields 0 for "-0".
  if (negative && v !== 0n) return null;
  return v;
}

function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** What parseId found: the ID, and whether an `ms-*` form left the sequence to be generated. */
export interface ParsedId {
  id: StreamId;
  seqGiven: boolean;
}

/**
 * Parses `ms-seq`, `ms` (sequence `missingSeq`), `-`, `+` (not when strict) and, when `allowSeqStar`,
 * `ms-*`, as streamGenericParseIDOrReply does. null when invalid.
 */
export function parseId(text: string, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  if (text.length > 127) return null;
  if (text === '-') return strict ? null : { id: ZERO_ID, seqGiven: true };
  if (text === '+') return strict ? null : { id: MAX_ID, seqGiven: true };
  const dash = text.indexOf('-');
  if (dash < 0) {
    const ms = parseU64(text);
    return ms === null ? null : { id: { ms, seq: missingSeq }, seqGiven: true };
  }
  const ms = parseU64(text.slice(0, dash));
  if (ms === null) return null;
  const rest = text.slice(dash + 1);
  if (allowSeqStar && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseU64(rest);
  return seq === null ? null : { id: { ms, seq }, seqGiven: true };
}

/** parseId for a command argument; null after replying the invalid-ID error. */
export function parseIdOrReply(reply: { error(m: string): void }, arg: Buffer, missingSeq: bigint, strict: boolean): StreamId | null {
  const parsed = parseId(arg.latin1Slice(0, arg.length), missingSeq, strict);
  if (parsed === null) {
    reply.error(ERR_INVALID_ID);
    return null;
  }
  return parsed.id;
}

/** A range bound: `(id` is exclusive (and strict), as streamParseIntervalIDOrReply. */
export function parseIntervalIdOrReply(reply: { error(m: string): void }, arg: Buffer, missingSeq: bigint): { id: StreamId; exclusive: boolean } | null {
  const text = arg.latin1Slice(0, arg.length);
  const exclusive = text.length > 1 && text.charCodeAt(0) === 40;
  const parsed = exclusive ? parseId(text.slice(1), missingSeq, true) : parseId(text, missingSeq, false);
  if (parsed === null) {
    reply.error(ERR_INVALID_ID);
    return null;
  }
  return { id: parsed.id, exclusive };
}

/** The 16-byte big-endian form Redis uses for rax keys and RDB (streamEncodeID). */
export function encodeIdBytes(id: StreamId, out: Buffer = Buffer.allocUnsafe(16), at = 0): Buffer {
  out.writeBigUInt64BE(id.ms, at);
  out.writeBigUInt64BE(id.seq, at + 8);
  return out;
}

export function decodeIdBytes(buf: Buffer, at = 0): StreamId {
  return { ms: buf.readBigUInt64BE(at), seq: buf.readBigUInt64BE(at + 8) };
}
