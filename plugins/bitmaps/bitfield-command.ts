import { Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword, parseInt64, type CommandContext, type ConfigStore, type KeyReference } from 'redix-server';
import { BitLimits } from './bit-limits';
import { BITMAPS_DOCS } from './bitmaps-docs';
import { FAIL, SAT, WRAP, getSigned, getUnsigned, setBits, signedOverflow, unsignedOverflow } from './bitfield-integers';
import { bytesPaddedTo, lookupStringRead, lookupStringWrite } from './string-bits';

const ERR_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';
const GET = 0;
const SET = 1;
const INCRBY = 2;

interface FieldOp {
  opcode: number;
  offset: number;
  value: bigint;
  owtype: number;
  bits: number;
  signed: boolean;
}

/** "i1".."i64" or "u1".."u63" → [signed, bits], or null. */
function fieldType(arg: Buffer): [boolean, number] | null {
  if (arg.length < 2 || (arg[0] !== 0x69 && arg[0] !== 0x75)) return null;
  const signed = arg[0] === 0x69;
  const bits = parseInt64(arg.subarray(1));
  if (bits === null || bits < 1n || bits > (signed ? 64n : 63n)) return null;
  return [signed, Number(bits)];
}

/** Nine bytes of buf from the field's first byte, zero padded past the end (Redis's GET trick). */
function window(buf: Buffer | null, offset: number): Buffer {
  const out = Buffer.alloc(9);
  if (buf !== null) buf.copy(out, 0, Math.min(Math.floor(offset / 8), buf.length), Math.min(Math.floor(offset / 8) + 9, buf.length));
  return out;
}

/** A GET: the field read from a zero-padded copy of its nine bytes. */
function replyField(c: CommandContext, buf: Buffer | null, op: FieldOp): void {
  const w = window(buf, op.offset);
  c.reply.integer(op.signed ? getSigned(w, op.offset & 7, op.bits) : getUnsigned(w, op.offset & 7, op.bits));
}

/**
 * BITFIELD's key and its flags (variable_flags), as Redis's bitfieldGetKeys: read-only while every
 * operation is a well-formed GET or OVERFLOW, else read-write (a syntax error counts as a write).
 */
function bitfieldKeys(argv: readonly Buffer[]): KeyReference[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const rest = argv.length - i - 1;
    if (isKeyword(argv[i], 'GET') && rest >= 2) i += 2;
    else if (isKeyword(argv[i], 'OVERFLOW') && rest >= 1) i += 1;
    else {
      readonly = false;
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
}

@CommandModule()
export class BitfieldCommand {
  private readonly limits: BitLimits;

  constructor(@inject(TOKENS.Config) config: ConfigStore) {
    this.limits = new BitLimits(config);
  }

  /** BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL] ... */
  @Command({ name: 'bitfield', arity: -2, flags: ['write', 'denyoom'], getKeys: bitfieldKeys, firstKey: 1, lastKey: 1, keyStep: 1, group: 'bitmap', since: '3.2.0', summary: 'Perform arbitrary bitfield integer operations on strings', complexity: 'O(1) for each subcommand specified', aclCategories: ['@write', '@bitmap', '@slow'], ...BITMAPS_DOCS.bitfield })
  bitfield(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, false);
  }

  /** BITFIELD_RO key [GET type offset ...] */
  @Command({ name: 'bitfield_ro', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'bitmap', since: '6.0.0', summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD', complexity: 'O(1) for each subcommand specified', aclCategories: ['@read', '@bitmap', '@fast'], ...BITMAPS_DOCS.bitfield_ro })
  bitfieldRo(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, true);
  }

  /** Parses every subcommand first (any error replies alone), then runs them in order. */
  private run(c: CommandContext, argv: Buffer[], readonlyCommand: boolean): void {
    const ops = this.parseOrReply(c, argv);
    if (ops === null) return;
    const key = bytesToString(argv[1]);
    const writes = ops.some((op) => op.opcode !== GET);
    if (!writes) {
      const value = lookupStringRead(c, key);
      if (value === null) return;
      const buf = value === undefined ? null : Buffer.from(value, 'latin1');
      c.reply.array(ops.length);
      for (const op of ops) replyField(c, buf, op);
      return;
    }
    if (readonlyCommand) {
      c.reply.error('ERR BITFIELD_RO only supports the GET subcommand');
      return;
    }
    let highest = 0;
    for (const op of ops) if (op.opcode !== GET && op.offset + op.bits - 1 > highest) highest = op.offset + op.bits - 1;
    const value = lookupStringWrite(c, key);
    if (value === null) return;
    const length = Math.floor(highest / 8) + 1;
    if (!this.limits.lengthOkOrReply(c, length)) return;
    const buf = bytesPaddedTo(value, length);
    // A new key or a longer string counts as a change of every write, as in Redis.
    const grew = value === undefined || buf.length !== value.length;
    let changes = 0;
    c.reply.array(ops.length);
    const limit = { v: 0n };
    for (const op of ops) {
      if (op.opcode === GET) {
        replyField(c, buf, op);
        continue;
      }
      const old = op.signed ? getSigned(buf, op.offset, op.bits) : getUnsigned(buf, op.offset, op.bits);
      let updated: bigint;
      let overflow: number;
      if (op.opcode === INCRBY) {
        overflow = op.signed ? signedOverflow(old, op.value, op.bits, op.owtype, limit) : unsignedOverflow(old, op.value, op.bits, op.owtype, limit);
        updated = overflow !== 0 ? limit.v : old + op.value;
      } else {
        const v = op.signed ? op.value : BigInt.asUintN(64, op.value);
        overflow = op.signed ? signedOverflow(v, 0n, op.bits, op.owtype, limit) : unsignedOverflow(v, 0n, op.bits, op.owtype, limit);
        updated = overflow !== 0 ? limit.v : v;
      }
      if (overflow !== 0 && op.owtype === FAIL) {
        c.reply.nullBulk();
        continue;
      }
      c.reply.integer(op.opcode === INCRBY ? updated : old);
      setBits(buf, op.offset, op.bits, updated);
      if (grew || old !== updated) changes++;
    }
    if (changes > 0) {
      c.db.set(key, buf.latin1Slice(0, buf.length), true);
      if (changes > 1) c.db.markDirty(changes - 1);
      c.notifyKeyspaceEvent(NOTIFY.STRING, 'setbit', key);
    } else if (value === undefined) {
      // Redis creates the key even when every write failed (OVERFLOW FAIL); it is no change.
      c.db.load(key, buf.latin1Slice(0, buf.length), -1);
    }
  }

  private parseOrReply(c: CommandContext, argv: Buffer[]): FieldOp[] | null {
    const ops: FieldOp[] = [];
    let owtype = WRAP;
    for (let j = 2; j < argv.length; j++) {
      const remaining = argv.length - j - 1;
      const sub = argv[j];
      let opcode: number;
      if (isKeyword(sub, 'GET') && remaining >= 2) opcode = GET;
      else if (isKeyword(sub, 'SET') && remaining >= 3) opcode = SET;
      else if (isKeyword(sub, 'INCRBY') && remaining >= 3) opcode = INCRBY;
      else if (isKeyword(sub, 'OVERFLOW') && remaining >= 1) {
        const name = argv[++j];
        if (isKeyword(name, 'WRAP')) owtype = WRAP;
        else if (isKeyword(name, 'SAT')) owtype = SAT;
        else if (isKeyword(name, 'FAIL')) owtype = FAIL;
        else {
          c.reply.error('ERR Invalid OVERFLOW type specified');
          return null;
        }
        continue;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return null;
      }
      const type = fieldType(argv[j + 1]);
      if (type === null) {
        c.reply.error(ERR_TYPE);
        return null;
      }
      const offset = this.limits.bitOffsetOrReply(c, argv[j + 2], type[1]);
      if (offset < 0) return null;
      let value = 0n;
      if (opcode !== GET) {
        const parsed = parseInt64(argv[j + 3]);
        if (parsed === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return null;
        }
        value = parsed;
      }
      ops.push({ opcode, offset, value, owtype, bits: type[1], signed: type[0] });
      j += opcode === GET ? 2 : 3;
    }
    return ops;
  }
}
