#!/usr/bin/env node
import { startServer } from '../kernel/server';
import { UserError } from '../kernel/errors';
import { loadConfigFile } from '../config/load-config';
import { REDIS_VERSION, REDIX_VERSION } from '../kernel/version';
import { camelCaseOf } from '../config/option-types';
import { environmentSettings, parseArgs } from './parse-args';
import { helpText } from './help';
import { createPlugin } from './create-plugin';

/** `redix start | --help | --version`. User mistakes print one line and exit 1, no stack trace. */
export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'create-plugin') {
    const folder = createPlugin(argv.slice(1));
    process.stdout.write(`Created a plugin in ${folder}\n  cd ${folder} && npm install && npm test\n`);
    return;
  }
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
    if (!(e instanceof UserError)) throw e;
    // A flag that turned out to be no plugin's option either, or a bad value for a plugin's option.
    const m = /^config: (unknown option|invalid value for) "([^"]+)"(.*)$/.exec(e.message);
    const flag = m === null ? undefined : args.pluginFlags.find((f) => camelCaseOf(f) === m[2]);
    if (m !== null && flag !== undefined) {
      throw new UserError(m[1] === 'unknown option' ? `unknown option --${flag} (see redix --help)` : `invalid value for --${flag}${m[3]}`);
    }
    if (file !== null && e.message.startsWith('config:')) throw new UserError(`${e.message} (in ${file} or the command line)`);
    throw e;
  }
}

/** A user error is reported on one line, however its message was written. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`redix: ${oneLine(e.message)}\n`);
    } else {
      process.stderr.write(`redix: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    process.exit(1);
  });
}
