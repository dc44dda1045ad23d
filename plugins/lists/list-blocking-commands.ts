import {
  Command, CommandModule, TOKENS, bytesToString, inject, parseTimeoutOrReply, type CommandContext, type KeysBlockHandler, type ServerContext,
} from 'redix-server';
import { ListFill, lookupListWrite } from './list-lookup';
import { afterPop, parseEndOrReply, popRangeWithKey, type End } from './list-ops';
import { moveOne, mpop, parseMpopOrReply } from './list-pop-commands';
import { LIST_SPECS } from './list-specs';
import { ListValue } from './list-value';

/** True when `key` holds a list now (blocked clients wait through other types, as in Redis). */
function holdsList(c: CommandContext, key: string): boolean {
  return c.db.peek(key) instanceof ListValue;
}

/** Pops one element and replies [key, element] (BLPOP/BRPOP), propagated as LPOP/RPOP key. */
function popOneWithKey(c: CommandContext, key: string, list: ListValue, head: boolean): void {
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulk((head ? list.popHead() : list.popTail()) as string);
  afterPop(c, key, list, head, 1);
  c.propagateAs([head ? 'LPOP' : 'RPOP', key]);
}

/** A client blocked in BLPOP/BRPOP (count -1) or BLMPOP (count ≥ 1). */
class PopWaiter implements KeysBlockHandler {
  constructor(
    private readonly head: boolean,
    private readonly count: number,
  ) {}

  serve(c: CommandContext, key: string): boolean {
    if (!holdsList(c, key)) return false;
    const list = lookupListWrite(c, key) as ListValue;
    if (this.count < 0) {
      popOneWithKey(c, key, list, this.head);
    } else {
      const n = popRangeWithKey(c, key, list, this.head, this.count);
      c.propagateAs([this.head ? 'LPOP' : 'RPOP', key, String(n)]);
    }
    return true;
  }

  timeout(c: CommandContext): void {
    c.reply.nullArray();
  }
}

/** A client blocked in BLMOVE/BRPOPLPUSH, served with LMOVE's semantics (WRONGTYPE destination included). */
class MoveWaiter implements KeysBlockHandler {
  constructor(
    private readonly dstKey: string,
    private readonly from: End,
    private readonly to: End,
    private readonly rpoplpush: boolean,
    private readonly fill: ListFill,
  ) {}

  serve(c: CommandContext, key: string): boolean {
    if (!holdsList(c, key)) return false;
    const src = lookupListWrite(c, key) as ListValue;
    // A destination of another type ends the block with WRONGTYPE, the source untouched.
    if (!moveOne(c, key, src, this.dstKey, this.from, this.to, this.fill)) return true;
    c.propagateAs(this.rpoplpush ? ['RPOPLPUSH', key, this.dstKey] : ['LMOVE', key, this.dstKey, this.from ? 'left' : 'right', this.to ? 'left' : 'right']);
    return true;
  }

  timeout(c: CommandContext): void {
    // Redis answers every timed-out list block with a null array, BLMOVE's too.
    c.reply.nullArray();
  }
}

/** BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH on the kernel's blocking framework. */
@CommandModule()
export class ListBlockingCommands {
  private readonly fill: ListFill;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.fill = new ListFill(server.config);
  }

  /** BLPOP key [key ...] timeout */
  @Command(LIST_SPECS.blpop)
  blpop(c: CommandContext, argv: Buffer[]): void {
    this.blockingPop(c, argv, true);
  }

  /** BRPOP key [key ...] timeout */
  @Command(LIST_SPECS.brpop)
  brpop(c: CommandContext, argv: Buffer[]): void {
    this.blockingPop(c, argv, false);
  }

  private blockingPop(c: CommandContext, argv: Buffer[], head: boolean): void {
    const deadline = parseTimeoutOrReply(c, argv[argv.length - 1], 'seconds');
    if (deadline === null) return;
    const keys: string[] = [];
    for (let i = 1; i < argv.length - 1; i++) {
      const key = bytesToString(argv[i]);
      const list = lookupListWrite(c, key);
      if (list === null) return;
      if (list !== undefined) {
        popOneWithKey(c, key, list, head);
        return;
      }
      keys.push(key);
    }
    c.blockOnKeys(keys, deadline, new PopWaiter(head, -1));
  }

  /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
  @Command(LIST_SPECS.blmpop)
  blmpop(c: CommandContext, argv: Buffer[]): void {
    const args = parseMpopOrReply(c, argv, 2);
    if (args === null) return;
    const deadline = parseTimeoutOrReply(c, argv[1], 'seconds');
    if (deadline === null) return;
    if (mpop(c, args) !== false) return;
    c.blockOnKeys(args.keys, deadline, new PopWaiter(args.head, args.count));
  }

  /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
  @Command(LIST_SPECS.blmove)
  blmove(c: CommandContext, argv: Buffer[]): void {
    const from = parseEndOrReply(c, argv[3]);
    if (from === null) return;
    const to = parseEndOrReply(c, argv[4]);
    if (to === null) return;
    const deadline = parseTimeoutOrReply(c, argv[5], 'seconds');
    if (deadline === null) return;
    this.blockingMove(c, argv, from, to, deadline, false);
  }

  /** BRPOPLPUSH source destination timeout */
  @Command(LIST_SPECS.brpoplpush)
  brpoplpush(c: CommandContext, argv: Buffer[]): void {
    const deadline = parseTimeoutOrReply(c, argv[3], 'seconds');
    if (deadline === null) return;
    this.blockingMove(c, argv, false, true, deadline, true);
  }

  private blockingMove(c: CommandContext, argv: Buffer[], from: End, to: End, deadline: number, rpoplpush: boolean): void {
    const srcKey = bytesToString(argv[1]);
    const src = lookupListWrite(c, srcKey);
    if (src === null) return;
    const dstKey = bytesToString(argv[2]);
    if (src === undefined) {
      // Where blocking is denied (MULTI, scripts) BLMOVE answers as LMOVE does: a null bulk.
      if (c.blockingDenied) c.reply.nullBulk();
      else c.blockOnKeys([srcKey], deadline, new MoveWaiter(dstKey, from, to, rpoplpush, this.fill));
      return;
    }
    if (!moveOne(c, srcKey, src, dstKey, from, to, this.fill)) return;
    c.propagateAs(rpoplpush ? ['RPOPLPUSH', argv[1], argv[2]] : ['LMOVE', argv[1], argv[2], argv[3], argv[4]]);
  }
}
