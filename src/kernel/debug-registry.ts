import type { CommandContext } from '../commands/command-context';

/** A DEBUG subcommand a plugin provides (the replication plugin's CHANGE-REPL-ID). */
export interface DebugSubcommand {
  /** Lower-case name: `change-repl-id`. */
  name: string;
  /** Arguments counted as Redis's `c->argc` (DEBUG and the subcommand included): n exactly, -n at least. */
  arity: number;
  /** DEBUG HELP's lines for it, when Redis's own list does not have them. */
  help?: readonly string[];
  run(c: CommandContext, argv: Buffer[]): void;
}

/** DEBUG subcommands registered by plugins, looked up by the kernel's DEBUG. */
export class DebugRegistry {
  private readonly subcommands = new Map<string, DebugSubcommand>();

  add(sub: DebugSubcommand): void {
    if (this.subcommands.has(sub.name)) throw new Error(`DEBUG ${sub.name} is already registered`);
    this.subcommands.set(sub.name, sub);
  }

  /** The subcommand if `argv` has the count of arguments it takes. */
  lookup(name: string, argc: number): DebugSubcommand | undefined {
    const sub = this.subcommands.get(name);
    if (sub === undefined) return undefined;
    return (sub.arity >= 0 ? argc === sub.arity : argc >= -sub.arity) ? sub : undefined;
  }

  has(name: string): boolean {
    return this.subcommands.has(name);
  }

  all(): IterableIterator<DebugSubcommand> {
    return this.subcommands.values();
  }
}
