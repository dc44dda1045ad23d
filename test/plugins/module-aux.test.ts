import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { runProcess } from '../helpers/run-process';

/**
 * Module AUX data (RDB opcode 247) with the sequence fixture, whose server-wide sequence is saved
 * before the keyspace and its scale (a long double) after it: it survives SAVE and a restart,
 * BGSAVE, an AOF rewrite's RDB preamble and DEBUG RELOAD; redis-check-rdb walks it; a server
 * without the module refuses the file with Redis's message, as real redis-server does.
 */
const sequence = resolve(__dirname, '../fixtures/sequence-plugin/index.ts');
const cli = resolve(__dirname, '../../dist/src/cli/main.js');
const hasTool = (name: string) => spawnSync(name, ['--version']).error === undefined;
const env = { ...process.env, REDIX_PORT: '', REDIX_LOG_LEVEL: '', REDIX_CONNECTION_IDLE_TIMEOUT: '' };
const text = (b: Buffer) => b.toString('latin1');
const bulks = (...items: string[]) => `*${items.length}\r\n` + items.map((s) => `$${s.length}\r\n${s}\r\n`).join('');

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('module AUX data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redix-module-aux-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through SAVE and a restart, before and after the keys', async () => {
    const first = await startRedix({ dir, plugins: [sequence] });
    let c = await RawConnection.connect(first.port);
    expect(text(await c.command(['SEQ.NEXT', 'a']))).toBe('$1\r\n1\r\n');
    expect(text(await c.command(['SEQ.NEXT', 'b']))).toBe('$1\r\n2\r\n');
    expect(text(await c.command(['SEQ.LABEL', 'orders']))).toBe('+OK\r\n');
    expect(text(await c.command(['SEQ.SCALE', '0.1']))).toBe('+OK\r\n');
    expect(text(await c.command(['SAVE']))).toBe('+OK\r\n');
    c.close();
    await first.shutdown();

    const second = await startRedix({ dir, plugins: [sequence] });
    c = await RawConnection.connect(second.port);
    // The label says auxLoad ran, with the saved encoding version; 0.1 came back exactly.
    expect(text(await c.command(['SEQ.INFO']))).toBe(bulks('3', 'orders (loaded, encver 2)', '0.1'));
    expect(text(await c.command(['SEQ.NEXT', 'c']))).toBe('$1\r\n3\r\n');
    expect(text(await c.command(['TYPE', 'a']))).toBe('+sequence1\r\n');
    c.close();
    await second.shutdown();
  });

  it.skipIf(!hasTool('redis-check-rdb'))('is walked by redis-check-rdb, once before and once after the keys', () => {
    const run = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(run.stdout).toContain('RDB looks OK!');
    const lines = run.stdout.split('\n').filter((l) => /MODULE AUX for: sequence1|Selecting DB ID 0/.test(l));
    expect(lines.map((l) => l.replace(/^\[offset \d+\] /, ''))).toEqual(['MODULE AUX for: sequence1', 'Selecting DB ID 0', 'MODULE AUX for: sequence1']);
    expect(run.status).toBe(0);
  });

  it.skipIf(!hasTool('redis-server'))('is refused by a real redis-server, which has no such module', async () => {
    const run = await runProcess('redis-server', ['--port', String(await freePort()), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--appendonly', 'no', '--save', ''], { timeoutMs: 20_000 });
    expect(run.stdout + run.stderr).toContain("The RDB file contains AUX module data I can't load: no matching module 'sequence1'");
    expect(run.stdout).not.toContain('Ready to accept connections');
  });

  it('stops a Redix without the module with the same message, in one line', async () => {
    const config = join(dir, 'no-plugins.json');
    writeFileSync(config, JSON.stringify({ plugins: [] }));
    const run = await runProcess(process.execPath, [cli, 'start', '--port', '0', '--config', config, '--dir', dir, '--save', ''], { cwd: dir, env, timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^redix: Bad RDB file .*dump\.rdb: The RDB file contains AUX module data I can't load: no matching module 'sequence1' \(at byte offset \d+\)\n$/);
    expect(run.stdout).not.toContain('Ready to accept connections');
  });

  it('goes through BGSAVE, DEBUG RELOAD and an AOF rewrite\'s RDB preamble', async () => {
    const aofDir = join(dir, 'aof');
    mkdirSync(aofDir);
    const server = await startRedix({ dir: aofDir, plugins: [sequence], appendonly: true, aofUseRdbPreamble: true, enableDebugCommand: 'yes' });
    let c = await RawConnection.connect(server.port);
    expect(text(await c.command(['SEQ.LABEL', 'reloaded']))).toBe('+OK\r\n');
    expect(text(await c.command(['SEQ.SCALE', '-2.5e-300']))).toBe('+OK\r\n');
    expect(text(await c.command(['DEBUG', 'RELOAD']))).toBe('+OK\r\n');
    expect(text(await c.command(['SEQ.INFO']))).toBe(bulks('1', 'reloaded (loaded, encver 2)', '-2.5e-300'));
    expect(text(await c.command(['SEQ.LABEL', 'rewritten']))).toBe('+OK\r\n');
    expect(text(await c.command(['BGREWRITEAOF']))).toBe('+Background append only file rewriting started\r\n');
    await waitFor(async () => text(await c.command(['INFO', 'persistence'])).includes('aof_rewrite_in_progress:0'));
    expect(text(await c.command(['SEQ.LABEL', 'bgsaved']))).toBe('+OK\r\n');
    expect(text(await c.command(['BGSAVE']))).toBe('+Background saving started\r\n');
    await waitFor(async () => text(await c.command(['INFO', 'persistence'])).includes('rdb_bgsave_in_progress:0'));
    c.close();
    await server.shutdown();
    expect(readdirSync(join(aofDir, 'appendonlydir')).some((f) => f.endsWith('.base.rdb'))).toBe(true);

    // The AOF is loaded at start when enabled: its preamble holds what the rewrite saw.
    const fromAof = await startRedix({ dir: aofDir, plugins: [sequence], appendonly: true });
    c = await RawConnection.connect(fromAof.port);
    expect(text(await c.command(['SEQ.INFO']))).toBe(bulks('1', 'rewritten (loaded, encver 2)', '-2.5e-300'));
    c.close();
    await fromAof.shutdown();

    const fromDump = await startRedix({ dir: aofDir, plugins: [sequence] });
    c = await RawConnection.connect(fromDump.port);
    expect(text(await c.command(['SEQ.INFO']))).toBe(bulks('1', 'bgsaved (loaded, encver 2)', '-2.5e-300'));
    c.close();
    await fromDump.shutdown();
  });

  it('reaches a replica in the full sync, with the keys', async () => {
    const master = await startRedix({ plugins: [sequence], replDisklessSyncDelay: 0 } as never);
    const m = await RawConnection.connect(master.port);
    expect(text(await m.command(['SEQ.NEXT', 'k']))).toBe('$1\r\n1\r\n');
    expect(text(await m.command(['SEQ.LABEL', 'synced']))).toBe('+OK\r\n');
    expect(text(await m.command(['SEQ.SCALE', '3']))).toBe('+OK\r\n');
    const replica = await startRedix({ plugins: [sequence], replicaof: `127.0.0.1 ${master.port}` });
    const r = await RawConnection.connect(replica.port);
    try {
      await waitFor(async () => text(await r.command(['SEQ.INFO'])) === bulks('2', 'synced (loaded, encver 2)', '3'), 20_000);
      expect(text(await r.command(['TYPE', 'k']))).toBe('+sequence1\r\n');
    } finally {
      r.close();
      m.close();
      await replica.shutdown();
      await master.shutdown();
    }
  });
});
