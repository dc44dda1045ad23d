import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { runProcess } from '../helpers/run-process';

/**
 * Two plugins with their own module types (the semaphore of README's guide and the ledger fixture)
 * in one dump: it loads back, redis-check-rdb accepts it, and a server without one of the plugins
 * refuses it with Redis's message naming the module type, as real Redis does.
 */
const semaphore = resolve(__dirname, '../fixtures/semaphore-plugin/index.ts');
const ledger = resolve(__dirname, '../fixtures/ledger-plugin/index.ts');
const cli = resolve(__dirname, '../../dist/src/cli/main.js');
const hasTool = (name: string) => spawnSync(name, ['--version']).error === undefined;
const env = { ...process.env, REDIX_PORT: '', REDIX_LOG_LEVEL: '', REDIX_CONNECTION_IDLE_TIMEOUT: '' };

describe('a dump holding two plugins\' module types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redix-module-types-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = (b: Buffer) => b.toString('latin1');
  const ledgerReply = '*5\r\n$20\r\n18446744073709551615\r\n$20\r\n-9223372036854775808\r\n$5\r\nalice\r\n$4\r\n-0.1\r\n$3\r\n0.5\r\n';

  it('saves both and loads them back', async () => {
    const first = await startRedix({ dir, plugins: [semaphore, ledger] });
    let c = await RawConnection.connect(first.port);
    expect(text(await c.command(['SEM.INIT', 'sem', '3']))).toBe('+OK\r\n');
    expect(text(await c.command(['LEDGER.SET', 'led', '18446744073709551615', '-9223372036854775808', 'alice', '-0.1', '0.5']))).toBe('+OK\r\n');
    expect(text(await c.command(['SAVE']))).toBe('+OK\r\n');
    c.close();
    await first.shutdown();

    const second = await startRedix({ dir, plugins: [semaphore, ledger] });
    c = await RawConnection.connect(second.port);
    expect(text(await c.command(['SEM.GET', 'sem']))).toBe(':3\r\n');
    expect(text(await c.command(['LEDGER.GET', 'led']))).toBe(ledgerReply);
    expect(text(await c.command(['TYPE', 'led']))).toBe('+ledger-01\r\n');
    c.close();
    await second.shutdown();
  });

  it.skipIf(!hasTool('redis-check-rdb'))('is accepted by redis-check-rdb', () => {
    const run = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(run.stdout).toContain('RDB looks OK!');
    expect(run.status).toBe(0);
  });

  it.skipIf(!hasTool('redis-server'))('is refused by a real redis-server (no such modules), naming a module type from our id', async () => {
    const run = await runProcess('redis-server', ['--port', String(await freePort()), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--appendonly', 'no', '--save', ''], { timeoutMs: 20_000 });
    expect(run.stdout + run.stderr).toMatch(/The RDB file contains module data I can't load: no matching module type '(semaphore|ledger-01)'/);
    // Redis then runs its RDB check on the file and exits with the check's status (0: it walks module values).
    expect(run.stdout).not.toContain('Ready to accept connections');
  });

  it('refuses to start without the ledger plugin: one line, before "Ready to accept connections"', async () => {
    const config = join(dir, 'only-semaphore.json');
    writeFileSync(config, JSON.stringify({ plugins: [semaphore] }));
    const run = await runProcess(process.execPath, [cli, 'start', '--port', '0', '--config', config, '--dir', dir, '--save', ''], { cwd: dir, env, timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^redix: Bad RDB file .*dump\.rdb: The RDB file contains module data I can't load: no matching module type 'ledger-01' \(at byte offset \d+\)\n$/);
    expect(run.stdout).not.toContain('Ready to accept connections');
  });
});
