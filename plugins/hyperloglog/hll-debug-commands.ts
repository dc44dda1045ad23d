import { Command, CommandModule, TOKENS, bytesToString, inject, isKeyword, type CommandContext, type ConfigStore } from 'redix-server';
import { HYPERLOGLOG_DOCS } from './hyperloglog-docs';
import { HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS, HLL_REGISTER_MAX, HLL_SPARSE, denseGet, denseSet, emptyHll, patternOf } from './hll-layout';
import { HllBuffer, decodeSparse, setRegister, sparseToDense } from './hll-sparse';
import { countOf } from './hll-estimate';
import { HllLimits, hllStringOrReply, replyCorrupted } from './hll-value';

const GROUP = { group: 'hyperloglog', since: '2.8.9', complexity: 'N/A' } as const;

/** PFSELFTEST's first part: every register keeps its value without disturbing its neighbours. */
function registersTest(cycles: number): string | null {
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  const expected = new Uint8Array(HLL_REGISTERS);
  // xorshift32: random enough for this, and much cheaper than Math.random per register.
  let state = (Math.floor(Math.random() * 2 ** 31) | 1) >>> 0;
  for (let j = 0; j < cycles; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const r = state & HLL_REGISTER_MAX;
      expected[i] = r;
      denseSet(dense, HLL_HDR_SIZE, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const got = denseGet(dense, HLL_HDR_SIZE, i);
      if (got !== expected[i]) return `TESTFAILED Register ${i} should be ${expected[i]} but is ${got}`;
    }
  }
  return null;
}

/**
 * PFSELFTEST's second part: 10 million distinct elements into a dense and a sparse HLL; at each
 * power of ten the two must agree and the error stay within six standard errors.
 */
function approximationTest(sparseMaxBytes: number): string | null {
  const dense = HllBuffer.fromBytes(emptyHll());
  sparseToDense(dense);
  const other = HllBuffer.fromBytes(emptyHll());
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLo = Math.floor(Math.random() * 2 ** 32);
  const seedHi = Math.floor(Math.random() * 2 ** 32);
  const ele = Buffer.alloc(8);
  let checkpoint = 1;
  for (let j = 1; j <= 10_000_000; j++) {
    // ele = j ^ seed, a little-endian uint64 (j < 2^32).
    ele.writeUInt32LE((j ^ seedLo) >>> 0, 0);
    ele.writeUInt32LE(seedHi, 4);
    const pattern = patternOf(ele, 0, 8);
    const index = pattern & (HLL_REGISTERS - 1);
    const count = Math.floor(pattern / HLL_REGISTERS);
    setRegister(dense, index, count, sparseMaxBytes);
    setRegister(other, index, count, sparseMaxBytes);
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && other.encoding !== HLL_SPARSE) return 'TESTFAILED sparse encoding not used';
    const card = countOf(dense.buf, dense.len);
    if (card !== countOf(other.buf, other.len)) return 'TESTFAILED dense/sparse disagree';
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    const abserr = Math.abs(checkpoint - card);
    if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return null;
}

@CommandModule()
export class HllDebugCommands {
  private readonly limits: HllLimits;

  constructor(@inject(TOKENS.Config) config: ConfigStore) {
    this.limits = new HllLimits(config);
  }

  /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
  @Command({ name: 'pfdebug', arity: 3, flags: ['write', 'denyoom', 'admin'], firstKey: 2, lastKey: 2, keyStep: 1, ...GROUP, summary: 'Internal commands for debugging HyperLogLog values', aclCategories: ['@write', '@hyperloglog', '@admin', '@slow', '@dangerous'], ...HYPERLOGLOG_DOCS.pfdebug })
  pfdebug(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[2]);
    const found = c.db.lookupWrite(key);
    if (found === undefined) {
      c.reply.error('ERR The specified key does not exist');
      return;
    }
    const value = hllStringOrReply(c, found);
    if (value === null || value === undefined) return;
    const h = HllBuffer.of(value);
    const sub = argv[1];
    if (isKeyword(sub, 'GETREG') || isKeyword(sub, 'TODENSE')) {
      const converting = h.encoding === HLL_SPARSE;
      if (converting) {
        if (!sparseToDense(h)) {
          replyCorrupted(c);
          return;
        }
        // The new encoding is a change: stored and propagated, as in Redis.
        c.db.set(key, h.toString(), true);
      }
      if (isKeyword(sub, 'TODENSE')) {
        c.reply.integer(converting ? 1 : 0);
        return;
      }
      c.reply.array(HLL_REGISTERS);
      for (let i = 0; i < HLL_REGISTERS; i++) c.reply.integer(denseGet(h.buf, HLL_HDR_SIZE, i));
    } else if (isKeyword(sub, 'DECODE')) {
      if (h.encoding !== HLL_SPARSE) c.reply.error('ERR HLL encoding is not sparse');
      else c.reply.bulk(decodeSparse(h.buf, h.len));
    } else if (isKeyword(sub, 'ENCODING')) {
      c.reply.status(h.encoding === HLL_SPARSE ? 'sparse' : 'dense');
    } else {
      c.reply.error(`ERR Unknown PFDEBUG subcommand '${bytesToString(sub)}'`);
    }
  }

  /** PFSELFTEST: checks the register packing and the estimator's error; replies OK. */
  @Command({ name: 'pfselftest', arity: 1, flags: ['admin'], ...GROUP, summary: 'An internal command for testing HyperLogLog values', aclCategories: ['@hyperloglog', '@admin', '@slow', '@dangerous'], ...HYPERLOGLOG_DOCS.pfselftest })
  pfselftest(c: CommandContext): void {
    const failure = registersTest(1000) ?? approximationTest(this.limits.sparseMaxBytes);
    if (failure === null) c.reply.ok();
    else c.reply.error(failure);
  }
}
