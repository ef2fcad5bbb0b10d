/**
 * Measures every SMS template with worst-case data and renders the default SMS texts of the example order
 * (fixtures/sms-table.ts), and writes both into docs/messages.md between their markers.
 * `--check` writes nothing and exits 1 when the docs are out of date; the test suite compares the same.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withGeneratedSmsBlocks } from '../fixtures/sms-table.js';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'messages.md');

const docs = await readFile(DOCS, 'utf8');
const updated = withGeneratedSmsBlocks(docs);

if (process.argv.includes('--check')) {
  if (updated !== docs) {
    console.error('docs/messages.md: the SMS tables are out of date; run `npx tsx scripts/sms-segments.ts`');
    process.exit(1);
  }
  console.log('docs/messages.md: the SMS tables are up to date');
} else {
  await writeFile(DOCS, updated);
  console.log(updated === docs ? 'docs/messages.md: unchanged' : 'docs/messages.md: SMS tables updated');
}
