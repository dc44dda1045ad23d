import { Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, type CommandContext, type ServerContext } from 'redix-server';
import { ListFill, lookupListWrite } from './list-lookup';
import { parseLongOrReply } from './list-ops';
import { LIST_SPECS } from './list-specs';

const ERR_OUT_OF_RANGE = 'ERR index out of range';

/** LPUSH, RPUSH, LPUSHX, RPUSHX, LINSERT, LSET: the commands that add or replace elements. */
@CommandModule()
export class ListWriteCommands {
  private readonly fill: ListFill;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.fill = new ListFill(server.config);
  }

  /** LPUSH key element [element ...] */
  @Command(LIST_SPECS.lpush)
  lpush(c: CommandContext, argv: Buffer[]): void {
    this.push(c, argv, true, false);
  }

  /** RPUSH key element [element ...] */
  @Command(LIST_SPECS.rpush)
  rpush(c: CommandContext, argv: Buffer[]): void {
    this.push(c, argv, false, false);
  }

  /** LPUSHX key element [element ...]: only onto an existing list. */
  @Command(LIST_SPECS.lpushx)
  lpushx(c: CommandContext, argv: Buffer[]): void {
    this.push(c, argv, true, true);
  }

  /** RPUSHX key element [element ...] */
  @Command(LIST_SPECS.rpushx)
  rpushx(c: CommandContext, argv: Buffer[]): void {
    this.push(c, argv, false, true);
  }

  /** pushGenericCommand: every element pushed in argument order, one event for the command. */
  private push(c: CommandContext, argv: Buffer[], head: boolean, existingOnly: boolean): void {
    const key = bytesToString(argv[1]);
    let list = lookupListWrite(c, key);
    if (list === null) return;
    const n = argv.length - 2;
    if (list === undefined) {
      if (existingOnly) {
        c.reply.integer(0);
        return;
      }
      list = this.fill.newList();
      c.db.set(key, list);
      if (n > 1) c.db.markDirty(n - 1);
    } else {
      c.db.markDirty(n);
    }
    if (head) for (let i = 2; i < argv.length; i++) list.pushHead(bytesToString(argv[i]));
    else for (let i = 2; i < argv.length; i++) list.pushTail(bytesToString(argv[i]));
    c.reply.integer(list.length);
    c.notifyKeyspaceEvent(NOTIFY.LIST, head ? 'lpush' : 'rpush', key);
  }

  /** LINSERT key BEFORE|AFTER pivot element: -1 without the pivot, 0 without the key. */
  @Command(LIST_SPECS.linsert)
  linsert(c: CommandContext, argv: Buffer[]): void {
    const where = argv[2].latin1Slice(0, argv[2].length).toLowerCase();
    if (where !== 'after' && where !== 'before') {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const key = bytesToString(argv[1]);
    const list = lookupListWrite(c, key);
    if (list === null) return;
    if (list === undefined) {
      c.reply.integer(0);
      return;
    }
    const pivot = argv[3];
    let index = 0;
    let found = -1;
    for (const node of list.nodes) {
      const hits = node.matches(pivot);
      if (hits.length > 0) {
        found = index + hits[0];
        break;
      }
      index += node.count;
    }
    if (found < 0) {
      c.reply.integer(-1);
      return;
    }
    list.insertAt(found, bytesToString(argv[4]), where === 'after');
    c.db.markDirty();
    c.notifyKeyspaceEvent(NOTIFY.LIST, 'linsert', key);
    c.reply.integer(list.length);
  }

  /** LSET key index element */
  @Command(LIST_SPECS.lset)
  lset(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const list = lookupListWrite(c, key);
    if (list === null) return;
    if (list === undefined) {
      c.reply.error(errors.ERR_NO_SUCH_KEY);
      return;
    }
    const index = parseLongOrReply(c, argv[2]);
    if (index === null) return;
    if (!list.set(index, bytesToString(argv[3]))) {
      c.reply.error(ERR_OUT_OF_RANGE);
      return;
    }
    c.db.markDirty();
    c.notifyKeyspaceEvent(NOTIFY.LIST, 'lset', key);
    c.reply.ok();
  }
}
