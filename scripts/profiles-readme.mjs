// Rewrites README.md's history table from the built profile rows (npm run build first).
//   node scripts/profiles-readme.mjs      (test/layout.test.ts checks the copy stays current)
import { readFileSync, writeFileSync } from 'node:fs';
import { ALL_PROFILES } from '../dist/layout/profiles/index.js';
import { profilesToMarkdown } from '../dist/report/layout.js';

const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(/(<!-- profiles:begin -->\n)[\s\S]*?(<!-- profiles:end -->)/, (_, a, b) => a + profilesToMarkdown(ALL_PROFILES) + b);
if (next === readme) console.log('README.md history table already current');
else { writeFileSync('README.md', next); console.log(`README.md history table: ${ALL_PROFILES.length} rows`); }
