import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { hasRedisServer } from '../helpers/redis-server';
import { runProcess } from '../helpers/run-process';
import { CLI, hasBuiltCli, makeTempDir, removeDir } from './aof-test-support';

const env = { ...process.env, REDIX_PORT: '', REDIX_LOG_LEVEL: '', REDIX_CONNECTION_IDLE_TIMEOUT: '' };

/**
 * `redix start` (the built CLI) refuses a `dir` or AOF directory it cannot use the way
 * redis-server 7.0 does: non-zero exit and Redis's reason, here as one line on stderr.
 */
describe.skipIf(!hasBuiltCli)('persistence settings refused at start', () => {
  const root = makeTempDir('redix-persistence-cli-');
  afterAll(() => removeDir(root));

  const file = join(root, 'a-file');
  writeFileSync(file, 'not a directory');
  const blocked = join(root, 'blocked');
  mkdirSync(blocked);
  // A file where the AOF directory should be.
  writeFileSync(join(blocked, 'appendonlydir'), 'x');

  // An AOF directory whose base has garbage between two commands.
  const corrupt = join(root, 'corrupt');
  mkdirSync(join(corrupt, 'appendonlydir'), { recursive: true });
  const set = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
  writeFileSync(join(corrupt, 'appendonlydir', 'appendonly.aof.1.base.aof'), `${set}garbage\r\n${set}`);
  writeFileSync(join(corrupt, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\n');

  const cases: [label: string, args: string[], ours: RegExp, redis: string][] = [
    ['an AOF corrupt in the middle', ['--dir', corrupt, '--appendonly', 'yes'], new RegExp(`^redix: Bad file format reading the append only file .*corrupt/appendonlydir/appendonly\\.aof\\.1\\.base\\.aof at offset ${set.length} `), 'Bad file format reading the append only file'],
    ['a dir that does not exist', ['--dir', join(root, 'missing')], /^redix: invalid value for --dir: No such file or directory \(got ".*missing"\)$/, 'No such file or directory'],
    ['a dir that is a file', ['--dir', file], /^redix: invalid value for --dir: Not a directory \(got ".*a-file"\)$/, 'Not a directory'],
    ['an AOF directory that cannot be created', ['--dir', blocked, '--appendonly', 'yes'], /^redix: Can't open or create append-only dir .*blocked\/appendonlydir: Not a directory$/, "Can't open or create append-only dir appendonlydir: Not a directory"],
  ];

  it.each(cases)('%s: one line, exit 1, Redis\'s reason', async (_label, args, ours, redis) => {
    const port = String(await freePort());
    const run = await runProcess(process.execPath, [CLI, 'start', '--port', port, '--save', '', ...args], { cwd: root, env, timeoutMs: 15_000 });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(ours);
    if (hasRedisServer) {
      const real = await runProcess('redis-server', ['--port', port, '--save', '', ...args], { cwd: root, timeoutMs: 15_000 });
      expect(real.code).toBe(1);
      expect(real.stdout + real.stderr).toContain(redis);
    }
  });
});
