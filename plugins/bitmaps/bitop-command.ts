import { Command, CommandModule, NOTIFY, bytesToString, errors, isKeyword, type CommandContext } from 'redix-server';
import { BITMAPS_DOCS } from './bitmaps-docs';

const AND = 0;
const OR = 1;
const XOR = 2;
const NOT = 3;

function opOf(arg: Buffer): number {
  if (isKeyword(arg, 'AND')) return AND;
  if (isKeyword(arg, 'OR')) return OR;
  if (isKeyword(arg, 'XOR')) return XOR;
  if (isKeyword(arg, 'NOT')) return NOT;
  return -1;
}

/** A fresh zero-filled Buffer of `length` bytes at offset 0 of its own memory (word-aligned). */
function alignedCopy(value: string | undefined, length: number): Buffer {
  const buf = Buffer.alloc(length);
  if (value !== undefined) buf.latin1Write(value, 0, value.length);
  return buf;
}

/**
 * `op` of the sources into `out` (sized to the longest; shorter sources count as zero padded),
 * 32 bits at a time. The sources are Buffers of their own, so their Int32Array views are aligned.
 */
function combine(op: number, out: Buffer, sources: Buffer[]): void {
  const words = out.length >> 2;
  const res = new Int32Array(out.buffer, out.byteOffset, words);
  sources[0].copy(out);
  if (op === NOT) {
    for (let w = 0; w < words; w++) res[w] = ~res[w];
    for (let i = words * 4; i < out.length; i++) out[i] = ~out[i] & 0xff;
    return;
  }
  for (let s = 1; s < sources.length; s++) {
    const src = sources[s];
    const srcWords = src.length >> 2;
    const view = new Int32Array(src.buffer, src.byteOffset, srcWords);
    if (op === AND) {
      for (let w = 0; w < srcWords; w++) res[w] &= view[w];
      for (let i = srcWords * 4; i < src.length; i++) out[i] &= src[i];
      // Past the source's end it reads as zeros.
      out.fill(0, src.length);
    } else if (op === OR) {
      for (let w = 0; w < srcWords; w++) res[w] |= view[w];
      for (let i = srcWords * 4; i < src.length; i++) out[i] |= src[i];
    } else {
      for (let w = 0; w < srcWords; w++) res[w] ^= view[w];
      for (let i = srcWords * 4; i < src.length; i++) out[i] ^= src[i];
    }
  }
}

@CommandModule()
export class BitopCommand {
  /** BITOP AND|OR|XOR|NOT destkey key [key ...]: replies the result's length (0 deletes destkey). */
  @Command({ name: 'bitop', arity: -4, flags: ['write', 'denyoom'], firstKey: 2, lastKey: -1, keyStep: 1, group: 'bitmap', since: '2.6.0', summary: 'Perform bitwise operations between strings', complexity: 'O(N)', aclCategories: ['@write', '@bitmap', '@slow'], ...BITMAPS_DOCS.bitop })
  bitop(c: CommandContext, argv: Buffer[]): void {
    const op = opOf(argv[1]);
    if (op < 0) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    if (op === NOT && argv.length !== 4) {
      c.reply.error('ERR BITOP NOT must be called with a single source key.');
      return;
    }
    const values: (string | undefined)[] = [];
    let maxLength = 0;
    for (let i = 3; i < argv.length; i++) {
      const value = c.db.lookupRead(bytesToString(argv[i]));
      if (value !== undefined && typeof value !== 'string') {
        c.reply.error(errors.ERR_WRONGTYPE);
        return;
      }
      values.push(value);
      if (value !== undefined && value.length > maxLength) maxLength = value.length;
    }
    const dest = bytesToString(argv[2]);
    if (maxLength === 0) {
      if (c.db.delete(dest)) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', dest);
      c.reply.integer(0);
      return;
    }
    const out = Buffer.alloc(maxLength);
    combine(op, out, values.map((v) => alignedCopy(v, v === undefined ? 0 : v.length)));
    c.db.set(dest, out.latin1Slice(0, maxLength));
    c.notifyKeyspaceEvent(NOTIFY.STRING, 'set', dest);
    c.reply.integer(maxLength);
  }
}
