/** `cwts replay`: publishes a recording through the engine, at recorded speed or faster. */
import { defineCommand, CliError, type OptionSpec } from './command.js';
import { SESSION_OPTIONS, runSession } from './engine-session.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  recording: { type: 'string', help: 'a file written by `cwts record`', placeholder: 'FILE' },
  speed: { type: 'string', help: "'recorded', 'max', or a factor of the recorded speed (2 = twice as fast)", default: 'recorded', placeholder: 'S' },
  ...SESSION_OPTIONS,
};

const DESCRIPTION = 'Replay a recording through the engine into the segment; two replays publish the same sequence. Stops at its end.';

function parseSpeed(value: string): 'recorded' | 'max' | number {
  if (value === 'recorded' || value === 'max') return value;
  const factor = Number(value);
  if (!Number.isFinite(factor) || factor <= 0) throw new CliError(`--speed must be 'recorded', 'max' or a number > 0, got ${JSON.stringify(value)}`);
  return factor;
}

export const replay = defineCommand({
  name: 'replay',
  summary: 'replay a recording into the segment (recorded speed, a factor, or max)',
  description: DESCRIPTION,
  options: OPTIONS,
  async run(values) {
    if (typeof values.recording !== 'string') throw new CliError('--recording FILE is required: the file `cwts record` wrote');
    const path = values.recording;
    const speed = parseSpeed(String(values.speed));
    return runSession({ values, untilFeedsEnd: true, adjust: (config) => ({ ...config, feeds: [{ type: 'replay', path, speed }] }) });
  },
});
