import { Command, CommandModule, NOTIFY, TOKENS, bytesToString, inject, type CommandContext, type ConfigStore } from 'redix-server';
import { HYPERLOGLOG_DOCS } from './hyperloglog-docs';
import { HLL_DENSE, HLL_REGISTERS, cachedCardinality, emptyHll, invalidateCache, patternOf, writeCardinality } from './hll-layout';
import { HllBuffer, setRegister, sparseToDense } from './hll-sparse';
import { countOf, estimate, rawHistogram } from './hll-estimate';
import { HllLimits, hllStringOrReply, mergeInto, replyCorrupted } from './hll-value';

const GROUP = { group: 'hyperloglog', since: '2.8.9' } as const;

/**
 * PFADD, PFCOUNT and PFMERGE. An HLL is a plain string value holding Redis's exact bytes, so GET,
 * SET, DUMP/RESTORE and RDB carry it as is; each command copies it into a Buffer, edits that, and
 * stores the result.
 */
@CommandModule()
export class HllCommands {
  private readonly limits: HllLimits;

  constructor(@inject(TOKENS.Config) config: ConfigStore) {
    this.limits = new HllLimits(config);
  }

  /** PFADD key [element ...]: 1 when a register changed (or the key was created), else 0. */
  @Command({ name: 'pfadd', arity: -2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, ...GROUP, summary: 'Adds the specified elements to the specified HyperLogLog.', complexity: 'O(1) to add every element.', aclCategories: ['@write', '@hyperloglog', '@fast'], ...HYPERLOGLOG_DOCS.pfadd })
  pfadd(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const value = hllStringOrReply(c, c.db.lookupWrite(key));
    if (value === null) return;
    let updated = 0;
    let h: HllBuffer;
    if (value === undefined) {
      h = HllBuffer.fromBytes(emptyHll());
      updated++;
    } else {
      h = HllBuffer.of(value);
    }
    const maxBytes = this.limits.sparseMaxBytes;
    for (let j = 2; j < argv.length; j++) {
      const pattern = patternOf(argv[j], 0, argv[j].length);
      const result = setRegister(h, pattern & (HLL_REGISTERS - 1), Math.floor(pattern / HLL_REGISTERS), maxBytes);
      if (result === 1) updated++;
      else if (result === -1) {
        // Redis edits in place: what the elements before this one changed stays.
        if (updated > 0) c.db.set(key, h.toString(), true);
        replyCorrupted(c);
        return;
      }
    }
    if (updated > 0) {
      invalidateCache(h.buf);
      c.db.set(key, h.toString(), true);
      if (updated > 1) c.db.markDirty(updated - 1);
      c.notifyKeyspaceEvent(NOTIFY.STRING, 'pfadd', key);
    }
    c.reply.integer(updated > 0 ? 1 : 0);
  }

  /**
   * PFCOUNT key [key ...]: one key answers its cached cardinality, computing and storing it when
   * stale (a write, propagated like Redis's); several keys answer the union's, writing nothing.
   */
  @Command({ name: 'pfcount', arity: -2, flags: ['readonly', 'may_replicate'], firstKey: 1, lastKey: -1, keyStep: 1, ...GROUP, summary: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).', complexity: 'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.', aclCategories: ['@read', '@hyperloglog', '@slow'], ...HYPERLOGLOG_DOCS.pfcount })
  pfcount(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 2) {
      const max = new Uint8Array(HLL_REGISTERS);
      for (let j = 1; j < argv.length; j++) {
        const value = hllStringOrReply(c, c.db.lookupRead(bytesToString(argv[j])));
        if (value === null) return;
        if (value === undefined) continue;
        if (!mergeInto(max, value)) {
          replyCorrupted(c);
          return;
        }
      }
      const histo = new Int32Array(64);
      rawHistogram(max, histo);
      c.reply.integer(estimate(histo));
      return;
    }
    const key = bytesToString(argv[1]);
    const value = hllStringOrReply(c, c.db.lookupRead(key));
    if (value === null) return;
    if (value === undefined) {
      c.reply.integer(0);
      return;
    }
    const cached = cachedCardinality(value);
    if (cached >= 0) {
      c.reply.integer(cached);
      return;
    }
    const h = HllBuffer.of(value);
    const card = countOf(h.buf, h.len);
    if (card < 0) {
      replyCorrupted(c);
      return;
    }
    writeCardinality(h.buf, card);
    c.db.set(key, h.toString(), true);
    c.reply.integer(card);
  }

  /** PFMERGE destkey [sourcekey ...]: destkey becomes the union (dense if any input is dense). */
  @Command({ name: 'pfmerge', arity: -2, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 1, ...GROUP, summary: 'Merge N different HyperLogLogs into a single one.', complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.', aclCategories: ['@write', '@hyperloglog', '@slow'], ...HYPERLOGLOG_DOCS.pfmerge })
  pfmerge(c: CommandContext, argv: Buffer[]): void {
    const max = new Uint8Array(HLL_REGISTERS);
    let useDense = false;
    for (let j = 1; j < argv.length; j++) {
      const value = hllStringOrReply(c, c.db.lookupRead(bytesToString(argv[j])));
      if (value === null) return;
      if (value === undefined) continue;
      if (value.charCodeAt(4) === HLL_DENSE) useDense = true;
      if (!mergeInto(max, value)) {
        replyCorrupted(c);
        return;
      }
    }
    const key = bytesToString(argv[1]);
    const dest = c.db.lookupWrite(key);
    // The destination was among the sources, so it is an HLL if it exists.
    const h = typeof dest === 'string' ? HllBuffer.of(dest) : HllBuffer.fromBytes(emptyHll());
    if (useDense && !sparseToDense(h)) {
      replyCorrupted(c);
      return;
    }
    // Register by register in index order, as Redis does: the sparse bytes depend on the order.
    const maxBytes = this.limits.sparseMaxBytes;
    for (let j = 0; j < HLL_REGISTERS; j++) if (max[j] !== 0) setRegister(h, j, max[j], maxBytes);
    invalidateCache(h.buf);
    c.db.set(key, h.toString(), true);
    // Redis names this event pfadd too ("a mass-add of elements").
    c.notifyKeyspaceEvent(NOTIFY.STRING, 'pfadd', key);
    c.reply.ok();
  }
}
