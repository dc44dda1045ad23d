import { COMMAND_FLAGS } from 'redix-server';
import { SCRIPT_FLAG } from './script-run';
import { parseEvalShebang } from './shebang';

const { stale: STALE, denyoom: DENYOOM, write: WRITE, may_replicate: MAY_REPLICATE } = COMMAND_FLAGS;

/**
 * A script's declared flags replace its command's write/denyoom/stale flags (Redis's
 * scriptFlagsToCmdFlags): a `no-writes` script is then a read for the read-only replica, OOM and
 * CLIENT PAUSE WRITE checks; may_replicate goes, since the flags now say whether it writes.
 */
export function scriptFlagsToCommandFlags(commandFlags: number, scriptFlags: number): number {
  if ((scriptFlags & SCRIPT_FLAG.EVAL_COMPAT_MODE) !== 0) return commandFlags;
  let flags = commandFlags & ~(STALE | DENYOOM | WRITE | MAY_REPLICATE);
  if ((scriptFlags & (SCRIPT_FLAG.ALLOW_OOM | SCRIPT_FLAG.NO_WRITES)) === 0) flags |= DENYOOM;
  if ((scriptFlags & SCRIPT_FLAG.NO_WRITES) === 0) flags |= WRITE;
  if ((scriptFlags & SCRIPT_FLAG.ALLOW_STALE) !== 0) flags |= STALE;
  return flags;
}

/**
 * The flags of an EVAL body not in the cache (evalGetCommandFlags): a body without a shebang is in
 * compatibility mode (the command's own flags), which also spares hashing it on every call.
 */
export function evalBodyFlags(commandFlags: number, body: Buffer): number {
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21) return commandFlags;
  const shebang = parseEvalShebang(body.latin1Slice(0, body.length));
  return shebang.ok ? scriptFlagsToCommandFlags(commandFlags, shebang.flags) : commandFlags;
}
