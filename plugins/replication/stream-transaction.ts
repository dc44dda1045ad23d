/**
 * A MULTI ... EXEC block of the master's stream, held until its EXEC arrives. Redis 7.0 masters
 * wrap transactions and the effects of scripts this way; holding the block lets the replica apply
 * it in one go, so no client read sees part of it even when it arrives over several reads. The raw
 * bytes are kept too: the offset only moves, and our own replicas only get them, once it is whole,
 * as Redis's replica does (its applied offset does not advance inside MULTI).
 */
export class StreamTransaction {
  /** The commands between MULTI and EXEC, in order. */
  readonly commands: Buffer[][] = [];
  /** Every byte of the block so far, MULTI included, as the master sent it. */
  readonly raw: Buffer[];
  bytes: number;

  constructor(multiRaw: Buffer) {
    this.raw = [multiRaw];
    this.bytes = multiRaw.length;
  }

  add(argv: Buffer[] | null, raw: Buffer): void {
    if (argv !== null) this.commands.push(argv);
    this.raw.push(raw);
    this.bytes += raw.length;
  }
}
