/** `cwts record`: runs the engine and writes every event of its feeds to a recording. */
import { defineCommand, CliError, type OptionSpec } from './command.js';
import { SESSION_OPTIONS, runSession } from './engine-session.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  out: { type: 'string', help: 'the recording to write (gzip-compressed; .cwtsrec by convention)', placeholder: 'FILE' },
  ...SESSION_OPTIONS,
};

const DESCRIPTION = 'Record every event of the configured feeds (live or simulated) while the engine publishes them; replay with `cwts replay`.';

export const record = defineCommand({
  name: 'record',
  summary: 'run the engine and record its feeds to a file for replay',
  description: DESCRIPTION,
  options: OPTIONS,
  async run(values) {
    if (typeof values.out !== 'string') throw new CliError('--out FILE is required: where to write the recording');
    const path = values.out;
    return runSession({ values, adjust: (config) => ({ ...config, record: { path } }) });
  },
});
