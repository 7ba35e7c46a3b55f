#!/usr/bin/env node
/** The `cwts` command line: one entry, one module per command. */
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { CliError, type Command } from './command.js';
import { doctor } from './doctor.js';
import { audit } from './audit.js';
import { kill } from './kill.js';
import { approve, enableStrategy, limit, limits, mode, refuse, resetBreakers } from './control.js';
import { keys } from './keys.js';
import { record } from './record.js';
import { replay } from './replay.js';
import { run } from './run.js';
import { status } from './status.js';
import { stressPublish } from './stress-publish.js';

const COMMANDS: readonly Command[] = [run, status, record, replay, kill, mode, approve, refuse, resetBreakers, enableStrategy, limit, limits, keys, audit, doctor, stressPublish];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: cwts <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'cwts <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`cwts: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`cwts ${command.name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
