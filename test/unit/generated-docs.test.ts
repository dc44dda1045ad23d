import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsMarkdown, configReferenceMarkdown, replaceSection } from '../../src/cli/docs';

const root = join(__dirname, '..', '..');

describe('generated documentation is current (run `npm run docs` after changing commands or options)', () => {
  it('README lists exactly the commands the specs define', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toBe(replaceSection(readme, 'commands', await commandsMarkdown()));
  });

  it('config/reference.md lists exactly the options the schema defines', () => {
    const reference = readFileSync(join(root, 'config', 'reference.md'), 'utf8');
    expect(reference).toBe(replaceSection(reference, 'options', configReferenceMarkdown()));
  });
});
