/** What every `cwts` command provides, and the shared option parsing with help text. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  readonly name: string;
  readonly summary: string;
  run(args: readonly string[]): Promise<number>;
}

/** A usage error: printed without a stack trace, with the exit code given. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly help: string;
  readonly default?: string | boolean;
  readonly placeholder?: string;
}

export function helpText(name: string, summary: string, options: Readonly<Record<string, OptionSpec>>): string {
  const rows = Object.entries(options).map(([flag, spec]) => {
    const left = `--${flag}${spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : ''}`;
    const def = spec.default === undefined || spec.default === false ? '' : ` (default ${String(spec.default)})`;
    return [left, `${spec.help}${def}`] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length), 6);
  return [`usage: cwts ${name} [options]`, '', summary, '', 'options:', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`), `  ${'--help'.padEnd(width)}  show this help`].join('\n');
}

/** Parses `args` against `options`; unknown flags and stray arguments are usage errors. */
export function parseOptions(args: readonly string[], options: Readonly<Record<string, OptionSpec>>): Record<string, string | boolean | undefined> {
  const config: ParseArgsConfig['options'] = { help: { type: 'boolean' } };
  for (const [flag, spec] of Object.entries(options)) {
    config[flag] = spec.default === undefined ? { type: spec.type } : { type: spec.type, default: spec.default } as never;
  }
  try {
    return parseArgs({ args: [...args], options: config, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/** A positive number option, with the option's name in the error. */
export function positiveNumber(value: string | boolean | undefined, flag: string, integer = false): number {
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new CliError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
  }
  return n;
}
