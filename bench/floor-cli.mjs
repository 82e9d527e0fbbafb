// The start-up floor of a CLI built as this one is (bench/run-all.js bundles it as scripts/bundle.mjs
// bundles the CLI, runs it from V8's code cache, and times it as a whole process against
// `node -e 0`): commander, the design's parser, with only a `check` command and check's options,
// parsing the arguments and printing one line — no input read, no module of ours loaded.
import { Command, Option } from 'commander';
import { writeSync } from 'node:fs';

const program = new Command('vdso-layout').version('0.1.0', '-V, --version').exitOverride();
program.command('check')
  .argument('[capture...]')
  .option('--vdso <image>').option('--arch <name>').option('--kernel <version>').option('--page-size <bytes>')
  .option('--profile <name|file>').option('--kernel-bits <bits>').option('--auxv <file>')
  .addOption(new Option('--auxv-word-size <bytes>').choices(['4', '8']))
  .addOption(new Option('--auxv-endian <order>').choices(['le', 'be']))
  .addOption(new Option('--format <fmt>').choices(['text', 'json', 'ktap', 'junit', 'github']).default('text'))
  .option('--strict').option('-q, --quiet').option('-v, --verbose')
  .addOption(new Option('--color <when>').choices(['auto', 'always', 'never']).default('auto'))
  .action((captures, opts) => { writeSync(1, `${captures.length} capture(s), ${opts.format}\n`); });
program.parseAsync(process.argv.slice(2), { from: 'user' }).then(() => process.exit(0));
