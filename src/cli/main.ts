#!/usr/bin/env node
import { startServer } from '../kernel/server';
import { UserError } from '../kernel/errors';
import { loadConfigFile } from '../config/load-config';
import { REDIS_VERSION, REDIX_VERSION } from '../kernel/version';
import { environmentSettings, parseArgs } from './parse-args';
import { helpText } from './help';

/** `redix start | --help | --version`. User mistakes print one line and exit 1, no stack trace. */
export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.command === 'help') {
    process.stdout.write(helpText());
    return;
  }
  if (args.command === 'version') {
    process.stdout.write(`Redix v=${REDIX_VERSION} (Redis ${REDIS_VERSION} compatible) node=${process.version}\n`);
    return;
  }
  const { config, file } = await loadConfigFile(process.cwd(), args.configPath);
  const settings = { ...config, ...environmentSettings(process.env), ...args.flags };
  try {
    await startServer(settings, { configFile: file, handleSignals: true, onStopped: () => process.exit(0) });
  } catch (e) {
    if (e instanceof UserError && file !== null && e.message.startsWith('config:')) {
      throw new UserError(`${e.message} (in ${file} or the command line)`);
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`redix: ${e.message}\n`);
    } else {
      process.stderr.write(`redix: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    process.exit(1);
  });
}
