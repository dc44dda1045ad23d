/** Command flags as Redis 7 names them in COMMAND INFO, and the bit each one is checked by. */
export const COMMAND_FLAGS = {
  write: 1 << 0,
  readonly: 1 << 1,
  denyoom: 1 << 2,
  module: 1 << 3,
  admin: 1 << 4,
  pubsub: 1 << 5,
  noscript: 1 << 6,
  blocking: 1 << 7,
  loading: 1 << 8,
  stale: 1 << 9,
  skip_monitor: 1 << 10,
  skip_slowlog: 1 << 11,
  asking: 1 << 12,
  fast: 1 << 13,
  no_auth: 1 << 14,
  may_replicate: 1 << 15,
  no_mandatory_keys: 1 << 16,
  // Listed before no_multi, where Redis's COMMAND INFO puts it; the bit value is arbitrary.
  no_async_loading: 1 << 20,
  no_multi: 1 << 17,
  movablekeys: 1 << 18,
  allow_busy: 1 << 19,
} as const;

export type CommandFlagName = keyof typeof COMMAND_FLAGS;

export const FLAG_WRITE = COMMAND_FLAGS.write;
export const FLAG_NO_AUTH = COMMAND_FLAGS.no_auth;
export const FLAG_LOADING = COMMAND_FLAGS.loading;
export const FLAG_STALE = COMMAND_FLAGS.stale;
export const FLAG_DENYOOM = COMMAND_FLAGS.denyoom;
export const FLAG_NO_MULTI = COMMAND_FLAGS.no_multi;
export const FLAG_ALLOW_BUSY = COMMAND_FLAGS.allow_busy;
export const FLAG_MAY_REPLICATE = COMMAND_FLAGS.may_replicate;
export const FLAG_READONLY = COMMAND_FLAGS.readonly;

export function flagBits(names: readonly CommandFlagName[] | undefined): number {
  let bits = 0;
  for (const name of names ?? []) {
    const bit = COMMAND_FLAGS[name];
    if (bit === undefined) throw new Error(`unknown command flag "${String(name)}"`);
    bits |= bit;
  }
  return bits;
}

/** Flags Redis keeps out of COMMAND INFO ("hidden on purpose" in addReplyCommandFlags). */
const HIDDEN_FLAGS: readonly CommandFlagName[] = ['may_replicate'];

/** The flag names COMMAND INFO shows for these bits. */
export function flagNames(bits: number): CommandFlagName[] {
  const names: CommandFlagName[] = [];
  for (const [name, bit] of Object.entries(COMMAND_FLAGS)) {
    if (bits & bit && !HIDDEN_FLAGS.includes(name as CommandFlagName)) names.push(name as CommandFlagName);
  }
  return names;
}

/**
 * ACL categories implied by flags, as Redis's setImplicitACLCategories derives them: write, read,
 * admin (also dangerous), pubsub, fast, blocking, and slow for whatever is not fast. In the order
 * of Redis's category table, which is the order COMMAND INFO lists them in.
 */
export function implicitAclCategories(bits: number): string[] {
  const out: string[] = [];
  if (bits & COMMAND_FLAGS.readonly) out.push('@read');
  if (bits & COMMAND_FLAGS.write) out.push('@write');
  if (bits & COMMAND_FLAGS.pubsub) out.push('@pubsub');
  if (bits & COMMAND_FLAGS.admin) out.push('@admin');
  out.push(bits & COMMAND_FLAGS.fast ? '@fast' : '@slow');
  if (bits & COMMAND_FLAGS.blocking) out.push('@blocking');
  if (bits & COMMAND_FLAGS.admin) out.push('@dangerous');
  return out;
}
