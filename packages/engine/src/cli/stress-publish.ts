/** `cwts stress-publish`: the torture writer of docs/segment.md, with a live status line. */
import { MAX_SYMBOLS } from '@cwts/shm-layout';
import { DEFAULT_SEGMENT_NAME, Segment, runStressPublisher } from '@cwts/py-bridge';
import { defineCommand, CliError, positiveNumber, type OptionSpec } from './command.js';
import { StatusLine } from './status-line.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  seconds: { type: 'string', help: 'how long to publish', default: '10', placeholder: 'N' },
  symbols: { type: 'string', help: `symbols to cycle through, 1..${MAX_SYMBOLS}`, default: '10', placeholder: 'K' },
  name: { type: 'string', help: 'segment name under /dev/shm', default: DEFAULT_SEGMENT_NAME, placeholder: 'NAME' },
  'interval-us': { type: 'string', help: 'pace updates one per N microseconds (open loop); 0 is flat out', default: '0', placeholder: 'N' },
  keep: { type: 'boolean', help: 'leave the segment in /dev/shm when done' },
  json: { type: 'boolean', help: 'print the result as one JSON line' },
};

const DESCRIPTION = 'Publish the stress pattern (every field derived from one counter) as fast as possible.';

export const stressPublish = defineCommand({
  name: 'stress-publish',
  summary: 'write the checkable stress pattern into the segment as fast as possible',
  description: DESCRIPTION,
  options: OPTIONS,
  async run(values) {
    const seconds = positiveNumber(values.seconds, 'seconds');
    const symbols = positiveNumber(values.symbols, 'symbols', true);
    if (symbols > MAX_SYMBOLS) throw new CliError(`--symbols must be at most ${MAX_SYMBOLS}, got ${symbols}`);
    const name = String(values.name);
    const intervalUs = Number(values['interval-us']);
    if (!Number.isFinite(intervalUs) || intervalUs < 0) throw new CliError(`--interval-us must be 0 or more, got ${JSON.stringify(values['interval-us'])}`);

    const segment = Segment.create({ name, replace: true });
    const stopHeartbeat = segment.startHeartbeat();
    const status = new StatusLine(process.stderr);
    let stopRequested = false;
    const onSignal = (): void => {
      stopRequested = true;
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const result = await runStressPublisher(segment, {
        seconds,
        symbols,
        intervalUs,
        shouldStop: () => stopRequested,
        onProgress: (updates, elapsed) =>
          status.update(`stress-publish ${segment.path}: ${updates.toLocaleString('en-US')} updates, ${(updates / elapsed / 1e6).toFixed(2)} M/s, ${elapsed.toFixed(1)}/${seconds} s`),
      });
      status.done();
      if (values.json) {
        console.log(JSON.stringify({ segment: segment.path, symbols, ...result }));
      } else {
        console.log(`published ${result.updates.toLocaleString('en-US')} updates to ${segment.path} in ${result.seconds.toFixed(2)} s ` +
          `(${Math.round(result.updatesPerSecond).toLocaleString('en-US')} updates/s over ${symbols} symbols)`);
      }
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stopHeartbeat();
      if (!values.keep) Segment.unlink(name);
    }
  },
});
