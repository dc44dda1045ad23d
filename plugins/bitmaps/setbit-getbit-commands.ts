import { Command, CommandModule, NOTIFY, TOKENS, bytesToString, inject, parseInteger, type CommandContext, type ConfigStore } from 'redix-server';
import { BitLimits } from './bit-limits';
import { BITMAPS_DOCS } from './bitmaps-docs';
import { lookupStringRead, lookupStringWrite } from './string-bits';

const ERR_BIT_VALUE = 'ERR bit is not an integer or out of range';
const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1, group: 'bitmap', since: '2.2.0', complexity: 'O(1)' } as const;

/**
 * `value` with its byte at `index` replaced (appending zero bytes first when the string is
 * shorter). The slices and the concatenation make a rope that V8 flattens at the next read.
 */
function withByte(value: string | undefined, index: number, byte: number): string {
  const ch = String.fromCharCode(byte);
  if (value === undefined) return index === 0 ? ch : '\0'.repeat(index) + ch;
  if (index >= value.length) return value + '\0'.repeat(index - value.length) + ch;
  return value.slice(0, index) + ch + value.slice(index + 1);
}

@CommandModule()
export class SetbitGetbitCommands {
  private readonly limits: BitLimits;

  constructor(@inject(TOKENS.Config) config: ConfigStore) {
    this.limits = new BitLimits(config);
  }

  /** SETBIT key offset 0|1: replies the bit's old value; grows the string with zeros. */
  @Command({ name: 'setbit', arity: 4, flags: ['write', 'denyoom'], ...KEY_1, summary: 'Sets or clears the bit at offset in the string value stored at key', aclCategories: ['@write', '@bitmap', '@slow'], ...BITMAPS_DOCS.setbit })
  setbit(c: CommandContext, argv: Buffer[]): void {
    const offset = this.limits.bitOffsetOrReply(c, argv[2], 0);
    if (offset < 0) return;
    const on = parseInteger(argv[3]);
    if (on !== 1 && on !== 0) {
      c.reply.error(ERR_BIT_VALUE);
      return;
    }
    const key = bytesToString(argv[1]);
    const value = lookupStringWrite(c, key);
    if (value === null) return;
    const index = Math.floor(offset / 8);
    if (!this.limits.lengthOkOrReply(c, index + 1)) return;
    const grows = value === undefined || index >= value.length;
    const old = grows ? 0 : value.charCodeAt(index);
    const mask = 0x80 >> (offset & 7);
    const was = (old & mask) === 0 ? 0 : 1;
    // As in Redis, only a change (a new key, a longer string or a flipped bit) is a write.
    if (grows || was !== on) {
      c.db.set(key, withByte(value, index, on === 1 ? old | mask : old & ~mask), true);
      c.notifyKeyspaceEvent(NOTIFY.STRING, 'setbit', key);
    }
    c.reply.integer(was);
  }

  /** GETBIT key offset: 0 past the end of the string or for a missing key. */
  @Command({ name: 'getbit', arity: 3, flags: ['readonly', 'fast'], ...KEY_1, summary: 'Returns the bit value at offset in the string value stored at key', aclCategories: ['@read', '@bitmap', '@fast'], ...BITMAPS_DOCS.getbit })
  getbit(c: CommandContext, argv: Buffer[]): void {
    const offset = this.limits.bitOffsetOrReply(c, argv[2], 0);
    if (offset < 0) return;
    const value = lookupStringRead(c, bytesToString(argv[1]));
    if (value === null) return;
    const index = Math.floor(offset / 8);
    if (value === undefined || index >= value.length) c.reply.integer(0);
    else c.reply.integer((value.charCodeAt(index) >> (7 - (offset & 7))) & 1);
  }
}
