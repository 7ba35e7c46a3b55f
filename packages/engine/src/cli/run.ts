/** `cwts run`: the engine from a config file (or the embedded default), with a live status line. */
import { defineCommand } from './command.js';
import { SESSION_OPTIONS, runSession } from './engine-session.js';

const DESCRIPTION = 'Run the engine: feeds into books, books into the shared-memory segment, trades into candles.';

export const run = defineCommand({
  name: 'run',
  summary: 'run the engine (simulated venue by default) until Ctrl-C or --seconds',
  description: DESCRIPTION,
  options: SESSION_OPTIONS,
  async run(values) {
    return runSession({ values });
  },
});
