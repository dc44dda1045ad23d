import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandsMarkdown, configReferenceMarkdown, replaceSection } from './docs';

/** `npm run docs`: regenerates the generated sections of README.md and config/reference.md. */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  const readme = join(root, 'README.md');
  writeFileSync(readme, replaceSection(readFileSync(readme, 'utf8'), 'commands', await commandsMarkdown()));
  const reference = join(root, 'config', 'reference.md');
  writeFileSync(reference, replaceSection(readFileSync(reference, 'utf8'), 'options', configReferenceMarkdown()));
}

void main();
