/** Counters INFO stats and errorstats report. */
export class ServerStats {
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  rejectedConnections = 0;
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  totalErrorReplies = 0;
  unexpectedErrorReplies = 0;
  /**
   * INFO lazyfreed_objects: values Redis would have freed in its background thread (UNLINK or a
   * lazy DEL of a value whose DataTypeSpec.freeEffort is above 64; every key of FLUSHALL ASYNC).
   */
  lazyfreedObjects = 0;
  /**
   * totalErrorReplies when a command's failed or rejected calls were last counted: errors a
   * script's own calls made are theirs, not the script's (incrCommandStatsOnError's prev_err_count).
   */
  errorsAccounted = 0;
  /** Error replies by their code (the text before the first space: ERR, WRONGTYPE...). */
  readonly errorCodes = new Map<string, number>();

  /** Counts one error reply, as Redis does for every error it sends (INFO errorstats). */
  readonly countError = (message: string): void => {
    this.totalErrorReplies++;
    const space = message.indexOf(' ');
    const code = space < 0 ? message : message.slice(0, space);
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  };

  reset(): void {
    this.lazyfreedObjects = 0;
    this.totalConnectionsReceived = 0;
    this.totalCommandsProcessed = 0;
    this.rejectedConnections = 0;
    this.totalNetInputBytes = 0;
    this.totalNetOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.unexpectedErrorReplies = 0;
    this.errorsAccounted = 0;
    this.errorCodes.clear();
  }
}
