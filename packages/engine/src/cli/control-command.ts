/**
 * Commands that act through a running engine's control socket (docs/network.md): their
 * shared connection options, positional arguments, and error handling. A refusal by the
 * engine exits 1 with its code and reason; a bad command line exits 2.
 */
import type { ControlClient } from '../network/control-client.js';
import { CliError, helpText, parseOptions, type Command, type OptionSpec, type OptionValues } from './command.js';

export const CONNECTION_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  endpoint: { type: 'string', help: "the engine's control endpoint (network.control in its config): ipc://PATH or tcp://HOST:PORT", placeholder: 'E' },
  'server-key': { type: 'string', help: "tcp://: the engine's public key file (<name>.key from cwts keys generate)", placeholder: 'F' },
  key: { type: 'string', help: "tcp://: this client's secret key file (<name>.key_secret), whose .key the engine authorized", placeholder: 'F' },
  timeout: { type: 'string', help: 'seconds to wait for the reply', default: '5', placeholder: 'S' },
  json: { type: 'boolean', help: 'print the reply as one JSON line' },
};

/** Connects as the options say, runs `act`, and turns the engine's refusals into exit code 1. */
export async function withControlClient<T>(values: OptionValues, act: (client: ControlClient) => Promise<T>): Promise<T> {
  if (typeof values.endpoint !== 'string') throw new CliError('--endpoint is required: the engine\'s network.control endpoint');
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new CliError(`--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
  // zeromq's addon loads only for the commands that talk to an engine.
  const { ControlClient, ControlError } = await import('../network/control-client.js');
  const { CurveKeyError } = await import('../network/curve-keys.js');
  let client: ControlClient;
  try {
    client = new ControlClient(values.endpoint, { serverKeyFile: values['server-key'] as string | undefined, keyFile: values.key as string | undefined, timeoutMs: timeoutSeconds * 1000 });
  } catch (error) {
    if (error instanceof ControlError || error instanceof CurveKeyError) throw new CliError(error.message);
    throw error;
  }
  try {
    return await act(client);
  } catch (error) {
    if (error instanceof ControlError) throw new CliError(`${error.code}: ${error.message}`, 1);
    throw error;
  } finally {
    await client.close();
  }
}

export interface ControlCommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  /** The positional arguments' names, for the usage line; each is required. */
  readonly positionals: readonly string[];
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** Builds the request from the arguments; throws CliError for a bad one. */
  request(positionals: readonly string[], values: OptionValues): { cmd: string; args?: Record<string, unknown> };
  /** One line for a person; the reply's JSON when omitted. */
  describe?(result: unknown): string;
}

/** A command that sends one request, with positionals before the options: `cwts mode set FULL_AUTO --endpoint ...`. */
export function defineControlCommand(spec: ControlCommandSpec): Command {
  const options = { ...spec.options, ...CONNECTION_OPTIONS };
  const usage = `${spec.name} ${spec.positionals.join(' ')}`.trim();
  return {
    name: spec.name,
    summary: spec.summary,
    async run(args) {
      const split = args.findIndex((a) => a.startsWith('-'));
      const positionals = split < 0 ? args : args.slice(0, split);
      const values = parseOptions(split < 0 ? [] : args.slice(split), options);
      if (values.help) {
        console.log(helpText(usage, spec.description, options));
        return 0;
      }
      if (positionals.length !== spec.positionals.length) throw new CliError(`usage: cwts ${usage} [options]; got ${JSON.stringify(positionals.join(' '))}`);
      const { cmd, args: requestArgs } = spec.request(positionals, values);
      const result = await withControlClient(values, (client) => client.request(cmd, requestArgs));
      console.log(values.json || !spec.describe ? JSON.stringify(result) : spec.describe(result));
      return 0;
    },
  };
}

/** A non-negative integer positional, named in the error. */
export function integerArgument(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}
