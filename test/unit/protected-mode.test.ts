import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTECTED_MODE_ERROR, protectedModeRefuses } from '../../src/network/protected-mode';

/** The installed redis-server's own DENIED reply (a C string in its binary, CRLF included), or null. */
function redisServerDeniedText(): string | null {
  const which = spawnSync('which', ['redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) return null;
  const binary = readFileSync(which.stdout.trim());
  const start = binary.indexOf('-DENIED Redis is running in protected mode');
  return start < 0 ? null : binary.latin1Slice(start, binary.indexOf(0, start));
}

describe('protected-mode', () => {
  it('refuses only non-loopback clients, only with the option on and no password', () => {
    for (const addr of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(protectedModeRefuses(true, false, addr), addr).toBe(false);
    for (const addr of ['10.0.0.5', '192.0.2.2', '::ffff:10.0.0.5', 'fd00::2', '', undefined]) expect(protectedModeRefuses(true, false, addr), String(addr)).toBe(true);
    expect(protectedModeRefuses(false, false, '10.0.0.5')).toBe(false);
    expect(protectedModeRefuses(true, true, '10.0.0.5')).toBe(false);
  });

  const real = redisServerDeniedText();
  it.skipIf(real === null)('sends redis-server 7.0\'s DENIED text byte for byte', () => {
    expect(PROTECTED_MODE_ERROR).toBe(real);
  });
});
