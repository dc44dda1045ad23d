import type { CommandFlagName } from './command-flags';
import type { CommandContext } from './command-context';

/** The groups Redis 7 uses in COMMAND DOCS. */
export type CommandGroup =
  | 'generic' | 'string' | 'list' | 'set' | 'sorted-set' | 'hash' | 'pubsub' | 'transactions'
  | 'connection' | 'server' | 'scripting' | 'hyperloglog' | 'cluster' | 'sentinel' | 'geo'
  | 'stream' | 'bitmap' | 'module';

/**
 * What a command is, as data: the kernel checks arity, flags and authentication from it, and
 * COMMAND INFO/DOCS/GETKEYS are generated from it.
 */
export interface CommandSpec {
  /** Lower-case name; a subcommand is written "parent|sub", e.g. "config|get". */
  name: string;
  /** Redis's arity: n means exactly n arguments (name included), -n means at least n. */
  arity: number;
  flags?: readonly CommandFlagName[];
  /** Key positions (1-based argument indexes): first, last (-1 = last argument), step. */
  firstKey?: number;
  lastKey?: number;
  keyStep?: number;
  group: CommandGroup;
  /** Redis version that introduced the command. */
  since: string;
  summary: string;
  complexity?: string;
  /**
   * Usage after the command name, as in Redis's docs: "key value [NX|XX] [EX seconds|PX milliseconds]".
   * COMMAND DOCS (and so redis-cli's hints) are generated from it.
   */
  syntax?: string;
  aclCategories?: readonly string[];
}

/** A command handler: synchronous, replies through the context. `argv[0]` is the command name. */
export type CommandHandler = (ctx: CommandContext, argv: Buffer[]) => void;

/** A container command (CONFIG, CLIENT, OBJECT ...) described for COMMAND INFO. */
export interface ContainerSpec {
  name: string;
  group: CommandGroup;
  since: string;
  summary: string;
  flags?: readonly CommandFlagName[];
  /** Redis gives containers "@slow". */
  aclCategories?: readonly string[];
}
