import type { CommandEntry } from '../commands/command-table';

/**
 * A client's MULTI state: the commands queued for EXEC (their arguments copied, as the originals
 * are views of the shared read buffer), the union of their flags (EXEC is refused as a write on a
 * read-only replica if any queued command writes), and whether queueing failed.
 */
export class MultiState {
  readonly commands: CommandEntry[] = [];
  readonly argvs: Buffer[][] = [];
  /** OR of the queued commands' flags. */
  flags = 0;
  /** OR of the complements of their flags: a bit here means some command lacks that flag. */
  inverseFlags = 0;
  /** A command was refused while queueing: EXEC answers EXECABORT. */
  aborted = false;
  /** Bytes of the queued arguments (CLIENT LIST multi-mem). */
  bytes = 0;

  get count(): number {
    return this.commands.length;
  }

  /** Queues a command with the flags of this call (its spec's, or its callFlags' for EVAL and FCALL). */
  queue(cmd: CommandEntry, argv: readonly Buffer[], flags: number): void {
    const copy: Buffer[] = new Array(argv.length);
    let bytes = 0;
    for (let i = 0; i < argv.length; i++) {
      copy[i] = Buffer.from(argv[i]);
      bytes += argv[i].length;
    }
    this.commands.push(cmd);
    this.argvs.push(copy);
    this.flags |= flags;
    this.inverseFlags |= ~flags;
    // As Redis counts it: the argument bytes plus one pointer per argument.
    this.bytes += bytes + 8 * argv.length;
  }
}
