/** What every `cwts` command provides, and the shared option parsing with help text. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  readonly name: string;
  readonly summary: string;
  run(args: readonly string[]): Promise<number>;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  readonly name: string;
  /** One line for `cwts --help`. */
  readonly summary: string;
  /** The paragraph of `cwts <name> --help`. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(values: OptionValues): Promise<number>;
}

/** A command whose options are parsed, and whose --help is answered, the same way as every other's. */
export function defineCommand(spec: CommandSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(args) {
      const values = parseOptions(args, spec.options);
      if (values.help) {
        console.log(helpText(spec.name, spec.description, spec.options));
        return 0;
      }
      return spec.run(values);
    },
  };
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
export function parseOptions(args: readonly string[], options: Readonly<Record<string, OptionSpec>>): OptionValues {
  const config: ParseArgsConfig['options'] = { help: { type: 'boolean' } };
  for (const [flag, spec] of Object.entries(options)) {
    config[flag] = spec.default === undefined ? { type: spec.type } : { type: spec.type, default: spec.default } as never;
  }
  try {
    return parseArgs({ args: [...args], options: config, strict: true, allowPositionals: false }).values as OptionValues;
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
