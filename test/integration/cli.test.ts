import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { hasRedisCli, waitForPort } from '../helpers/redis-server';
import { runProcess } from '../helpers/run-process';

const repoRoot = resolve(__dirname, '../..');
const cli = join(repoRoot, 'dist/src/cli/main.js');
const env = { ...process.env, REDIX_PORT: '', REDIX_LOG_LEVEL: '', REDIX_CONNECTION_IDLE_TIMEOUT: '' };

function redix(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return runProcess(process.execPath, [cli, ...args], { cwd, env: { ...env, ...extraEnv }, timeoutMs: 15_000 });
}

function startRedixProcess(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [cli, ...args], { cwd, env: { ...env, ...extraEnv }, stdio: 'ignore' });
}

async function ping(port: number): Promise<string> {
  return (await runProcess('redis-cli', ['-p', String(port), 'PING'])).stdout;
}

/** The process exits on its own with this code. */
function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

describe.skipIf(!hasRedisCli)('redix CLI', () => {
  let dir: string;
  beforeAll(() => {
    // Inside the repo, so a redix.config.ts there can import 'redix-server' as a user's would.
    dir = mkdtempSync(join(repoRoot, 'test', '.tmp-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help and version', async () => {
    const help = await redix(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('redix start');
    expect(help.stdout).toContain('--appendfsync');
    const version = await redix(['--version'], dir);
    expect(version.stdout).toMatch(/^Redix v=\d+\.\d+\.\d+ \(Redis 7\.0\.\d+ compatible\)/);
  });

  const badInputs: [string, string[], RegExp][] = [
    ['an unknown flag', ['start', '--prot', '1'], /^redix: unknown option --prot/],
    ['a bad flag value', ['start', '--port', 'abc'], /^redix: invalid value for --port: argument couldn't be parsed into an integer/],
    ['an out-of-range value', ['start', '--port', '70000'], /^redix: invalid value for --port: argument must be between 0 and 65535/],
    ['a bad enum', ['start', '--appendfsync', 'sometimes'], /^redix: invalid value for --appendfsync/],
    ['a missing config file', ['start', '--config', 'nope.json'], /^redix: config file not found/],
    ['an unknown command', ['stop'], /^redix: unknown command "stop"/],
  ];
  for (const [what, args, message] of badInputs) {
    it(`refuses ${what} with one line and no stack trace`, async () => {
      const out = await redix(args, dir);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(message);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  const badFiles: [string, string, RegExp][] = [
    ['malformed JSON', '{ "port": ', /^redix: could not load config file .*bad\.json/],
    ['a wrongly typed value', '{ "databases": "abc" }', /config: invalid value for "databases": argument couldn't be parsed into an integer/],
    ['a value of the wrong JSON type', '{ "appendonly": 3 }', /config: invalid value for "appendonly": expected true\/false or "yes"\/"no"/],
    ['an unknown key', '{ "prot": 1 }', /config: unknown option "prot"/],
    ['a bad plugins entry', '{ "plugins": [1] }', /"plugins\[0\]" must be a name\/path/],
    ['a missing plugin', '{ "plugins": ["./nope"] }', /plugin "\.\/nope": no such file/],
  ];
  for (const [what, content, message] of badFiles) {
    it(`refuses a config file with ${what}, naming the field`, async () => {
      writeFileSync(join(dir, 'bad.json'), content);
      const out = await redix(['start', '--port', '0', '--config', 'bad.json'], dir);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(message);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('starts on --port, stops on SHUTDOWN with exit code 0', async () => {
    const port = await freePort();
    const child = startRedixProcess(['start', '--port', String(port), '--bind', '127.0.0.1', '--save', ''], dir);
    const exited = exitCode(child);
    await waitForPort(port, 15_000);
    expect(await ping(port)).toBe('PONG\n');
    await runProcess('redis-cli', ['-p', String(port), 'SHUTDOWN']);
    expect(await exited).toBe(0);
  });

  it('reads redix.config.ts from the working directory; env beats the file; flags beat env', async () => {
    const [filePort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()];
    const cwd = mkdtempSync(join(dir, 'ts-'));
    writeFileSync(join(cwd, 'redix.config.ts'), `import { defineConfig } from 'redix-server';\nexport default defineConfig({ port: ${filePort}, bind: '127.0.0.1', save: '', databases: 4 });\n`);
    for (const [args, extraEnv, port] of [
      [['start'], {}, filePort],
      [['start'], { REDIX_PORT: String(envPort) }, envPort],
      [['start', '--port', String(flagPort)], { REDIX_PORT: String(envPort) }, flagPort],
    ] as [string[], NodeJS.ProcessEnv, number][]) {
      const child = startRedixProcess(args, cwd, extraEnv);
      const exited = exitCode(child);
      try {
        await waitForPort(port, 15_000);
        const out = await runProcess('redis-cli', ['-p', String(port), 'CONFIG', 'GET', 'databases']);
        expect(out.stdout).toBe('databases\n4\n');
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
    }
  });

  it('accepts a plugin\'s option as a flag, and names an unknown one', async () => {
    const port = await freePort();
    const cwd = mkdtempSync(join(dir, 'plugin-'));
    writeFileSync(join(cwd, 'greeter.json'), JSON.stringify({ plugins: [resolve(repoRoot, 'test/fixtures/greeter-plugin/index.ts')] }));
    const child = startRedixProcess(['start', '--config', 'greeter.json', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--greeter-greeting', 'Ahoy'], cwd);
    const exited = exitCode(child);
    try {
      await waitForPort(port, 15_000);
      expect((await runProcess('redis-cli', ['-p', String(port), 'GREET', 'Ada'])).stdout).toBe('Ahoy, Ada!\n');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const unknown = await redix(['start', '--config', 'greeter.json', '--port', '0', '--greeter-greting', 'Ahoy'], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('redix: unknown option --greeter-greting (see redix --help)\n');
  });

  it('on SIGTERM lets persistence flush (RDB saved, AOF written) and exits 0', async () => {
    const port = await freePort();
    const data = mkdtempSync(join(dir, 'data-'));
    const args = ['start', '--port', String(port), '--bind', '127.0.0.1', '--dir', data, '--appendonly', 'yes', '--appendfsync', 'no'];
    const first = startRedixProcess(args, data);
    const firstExit = exitCode(first);
    await waitForPort(port, 15_000);
    await runProcess('redis-cli', ['-p', String(port), 'SET', 'survivor', 'yes']);
    first.kill('SIGTERM');
    expect(await firstExit).toBe(0);
    // The default save points are set, so shutdown saved a dump; the AOF has the write too.
    expect((await runProcess('redis-check-rdb', [join(data, 'dump.rdb')])).stdout).toContain('RDB looks OK!');
    for (const appendonly of ['yes', 'no']) {
      const again = startRedixProcess([...args.slice(0, -4), '--appendonly', appendonly], data);
      const againExit = exitCode(again);
      try {
        await waitForPort(port, 15_000);
        expect((await runProcess('redis-cli', ['-p', String(port), 'GET', 'survivor'])).stdout, `appendonly ${appendonly}`).toBe('yes\n');
      } finally {
        again.kill('SIGTERM');
      }
      expect(await againExit).toBe(0);
    }
  });

  it('exits 0 on SIGINT', async () => {
    const port = await freePort();
    // Its own folder: the save on shutdown writes dump.rdb there, which a later run would load.
    const child = startRedixProcess(['start', '--port', String(port), '--bind', '127.0.0.1'], mkdtempSync(join(dir, 'sigint-')));
    const exited = exitCode(child);
    await waitForPort(port, 15_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
