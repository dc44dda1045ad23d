import { parseLongDouble, type LongDouble } from '../commands/long-double';
import { formatLongDoubleHex, longDoubleFromNumber, longDoubleToNumber } from '../commands/long-double-convert';
import { RdbFormatError } from './rdb-reader';
import type { RdbReader, RdbWriter } from './rdb-stream';

/**
 * The typed fields of a module-type value in RDB (RDB_TYPE_MODULE_2), as Redis's module API
 * writes them (RM_SaveUnsigned, RM_SaveString, ...): each field is an opcode (an RDB length) then
 * its value, and the value ends with the EOF opcode, so tools such as redis-check-rdb can walk a
 * value without knowing its module.
 */
export const MODULE_OPCODE = { EOF: 0, SINT: 1, UINT: 2, FLOAT: 3, DOUBLE: 4, STRING: 5 } as const;

const OPCODE_NAMES = ['EOF', 'a signed integer', 'an unsigned integer', 'a float', 'a double', 'a string'];
const TWO_POW_32 = 2n ** 32n;
const scratch = Buffer.alloc(8);

/** An RDB length of up to 64 bits (module ids and unsigned fields need all of them). */
export function writeLength64(out: RdbWriter, n: bigint): void {
  if (n < TWO_POW_32) {
    out.writeLength(Number(n));
    return;
  }
  out.writeByte(0x81);
  scratch.writeBigUInt64BE(n);
  out.writeBytes(Buffer.from(scratch));
}

/** Reads an RDB length of up to 64 bits exactly. */
export function readLength64(input: RdbReader): bigint {
  const at = input.offset;
  const first = input.readByte();
  const kind = first >> 6;
  if (kind === 0) return BigInt(first & 0x3f);
  if (kind === 1) return BigInt(((first & 0x3f) << 8) | input.readByte());
  if (first === 0x80) return BigInt(input.readBytes(4).readUInt32BE(0));
  if (first === 0x81) return input.readBytes(8).readBigUInt64BE(0);
  throw new RdbFormatError(`unknown length encoding 0x${first.toString(16)}`, at);
}

/** What a module type's `save` writes with: Redis's RM_Save* field helpers. */
export interface ModuleTypeWriter {
  /** An unsigned 64-bit integer (a number must be a safe integer; a bigint keeps all 64 bits). */
  saveUnsigned(value: number | bigint): void;
  /** A signed 64-bit integer (stored as its two's complement, as Redis does). */
  saveSigned(value: number | bigint): void;
  /** A binary-safe string (latin1 for a JS string). */
  saveString(value: string | Buffer): void;
  saveDouble(value: number): void;
  /** A 32-bit float (precision is lost as in C). */
  saveFloat(value: number): void;
  /**
   * A long double, as RM_SaveLongDouble writes it: a string field holding printf("%La") of the
   * x87 80-bit value ("0x8p-3" for 1). A number is saved exactly (every double is a long double);
   * a `LongDouble` (from 'redix-server/numbers') keeps all 64 bits of its significand. NaN is "nan".
   */
  saveLongDouble(value: number | LongDouble): void;
}

/**
 * What a module type's `load` reads with: each field must be read with the helper it was saved
 * with, or the load fails with an RdbFormatError. The `number` forms refuse values beyond 2^53
 * rather than lose precision; the `Big` forms return every value exactly.
 */
export interface ModuleTypeReader {
  loadUnsigned(): number;
  loadUnsignedBig(): bigint;
  loadSigned(): number;
  loadSignedBig(): bigint;
  /** A string as latin1 (binary safe). */
  loadString(): string;
  loadStringBuffer(): Buffer;
  loadDouble(): number;
  loadFloat(): number;
  /**
   * A long double saved by saveLongDouble or a Redis module's RM_SaveLongDouble, rounded to the
   * nearest double: JS has no 80-bit type, so the last 11 bits of the significand are lost (and
   * values beyond the double range become ±Infinity or ±0). "nan" reads as NaN.
   */
  loadLongDouble(): number;
  /** The same field exactly, as the emulated long double of 'redix-server/numbers' (NaN is refused). */
  loadLongDoubleExact(): LongDouble;
}

/** Writes fields for one value onto an RDB stream. */
export class ModuleFieldWriter implements ModuleTypeWriter {
  constructor(private readonly out: RdbWriter) {}

  saveUnsigned(value: number | bigint): void {
    const n = typeof value === 'bigint' ? value : checkedBigInt(value, false);
    if (n < 0n || n >= 2n ** 64n) throw new RangeError(`saveUnsigned: ${n} does not fit in 64 bits unsigned`);
    this.out.writeByte(MODULE_OPCODE.UINT);
    writeLength64(this.out, n);
  }

  saveSigned(value: number | bigint): void {
    const n = typeof value === 'bigint' ? value : checkedBigInt(value, true);
    if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new RangeError(`saveSigned: ${n} does not fit in 64 bits signed`);
    // As RM_SaveSigned: the same UINT field holding the two's complement.
    this.out.writeByte(MODULE_OPCODE.UINT);
    writeLength64(this.out, BigInt.asUintN(64, n));
  }

  saveString(value: string | Buffer): void {
    this.out.writeByte(MODULE_OPCODE.STRING);
    this.out.writeString(value);
  }

  saveDouble(value: number): void {
    this.out.writeByte(MODULE_OPCODE.DOUBLE);
    this.out.writeDouble(value);
  }

  saveFloat(value: number): void {
    this.out.writeByte(MODULE_OPCODE.FLOAT);
    const b = Buffer.allocUnsafe(4);
    b.writeFloatLE(value);
    this.out.writeBytes(b);
  }

  saveLongDouble(value: number | LongDouble): void {
    // JS cannot tell NaNs apart; glibc prints a positive one as "nan".
    if (typeof value === 'number' && Number.isNaN(value)) this.saveString('nan');
    else this.saveString(formatLongDoubleHex(typeof value === 'number' ? longDoubleFromNumber(value) : value));
  }

  /** The EOF opcode that closes every module value (written by the kernel). */
  end(): void {
    this.out.writeByte(MODULE_OPCODE.EOF);
  }
}

/** Reads the fields of one value of module type `typeName`. */
export class ModuleFieldReader implements ModuleTypeReader {
  constructor(
    private readonly input: RdbReader,
    private readonly typeName: string,
  ) {}

  loadUnsignedBig(): bigint {
    this.expect(MODULE_OPCODE.UINT);
    return readLength64(this.input);
  }

  loadUnsigned(): number {
    return this.safe(this.loadUnsignedBig());
  }

  loadSignedBig(): bigint {
    return BigInt.asIntN(64, this.loadUnsignedBig());
  }

  loadSigned(): number {
    return this.safe(this.loadSignedBig());
  }

  loadString(): string {
    this.expect(MODULE_OPCODE.STRING);
    return this.input.readString();
  }

  loadStringBuffer(): Buffer {
    this.expect(MODULE_OPCODE.STRING);
    return this.input.readStringBytes();
  }

  loadDouble(): number {
    this.expect(MODULE_OPCODE.DOUBLE);
    return this.input.readDouble();
  }

  loadFloat(): number {
    this.expect(MODULE_OPCODE.FLOAT);
    return this.input.readBytes(4).readFloatLE(0);
  }

  loadLongDouble(): number {
    const at = this.input.offset;
    const text = this.loadString();
    if (text === 'nan' || text === '-nan') return NaN;
    return longDoubleToNumber(this.longDoubleOf(text, at));
  }

  loadLongDoubleExact(): LongDouble {
    const at = this.input.offset;
    return this.longDoubleOf(this.loadString(), at);
  }

  /** The EOF opcode after the value, or Redis's error for a value (or AUX data) not terminated by it. */
  end(moduleName: string, what = 'module data'): void {
    const at = this.input.offset;
    if (readLength64(this.input) !== BigInt(MODULE_OPCODE.EOF)) {
      throw new RdbFormatError(`The RDB file contains ${what} for the module '${moduleName}' that is not terminated by the proper module value EOF marker`, at);
    }
  }

  /** Redis's string2ld reading of a long double field (it also accepts decimal text). */
  private longDoubleOf(text: string, at: number): LongDouble {
    const value = parseLongDouble(text);
    if (value === null) throw new RdbFormatError(`module type '${this.typeName}' read a long double field holding ${JSON.stringify(text)}, which is not one`, at);
    return value;
  }

  private expect(opcode: number): void {
    const at = this.input.offset;
    const found = readLength64(this.input);
    if (found !== BigInt(opcode)) {
      const what = found < BigInt(OPCODE_NAMES.length) ? OPCODE_NAMES[Number(found)] : `opcode ${found}`;
      throw new RdbFormatError(`module type '${this.typeName}' read ${OPCODE_NAMES[opcode]} where the value holds ${what}`, at);
    }
  }

  private safe(n: bigint): number {
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RdbFormatError(`module type '${this.typeName}': ${n} does not fit in a JS number without losing precision (use the Big form)`, this.input.offset);
    }
    return Number(n);
  }
}

function checkedBigInt(value: number, signed: boolean): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`save${signed ? 'Signed' : 'Unsigned'}: ${value} is not a safe integer (pass a bigint)`);
  return BigInt(value);
}
