import { errors, type CommandContext, type ConfigStore } from 'redix-server';
import { StreamValue, type NodeLimits } from './stream-value';

/** The stream at `key` for reading: undefined when missing, null after replying WRONGTYPE. */
export function lookupStreamRead(c: CommandContext, key: string): StreamValue | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value instanceof StreamValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** Like lookupStreamRead, for a stream about to be changed in place. */
export function lookupStreamWrite(c: CommandContext, key: string): StreamValue | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value instanceof StreamValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** Commands that must apply what they are told (a master's stream, AOF loading): mustObeyClient. */
export function mustObey(c: CommandContext): boolean {
  return c.isMasterLink || c.isInternal;
}

/** stream-node-max-bytes / -entries, kept current on CONFIG SET. */
export class StreamNodeLimits implements NodeLimits {
  maxBytes: number;
  maxEntries: number;

  constructor(config: ConfigStore) {
    this.maxBytes = config.get<number>('stream-node-max-bytes');
    this.maxEntries = config.get<number>('stream-node-max-entries');
    config.onChange('stream-node-max-bytes', (value) => {
      this.maxBytes = value as number;
    });
    config.onChange('stream-node-max-entries', (value) => {
      this.maxEntries = value as number;
    });
  }
}
