/** `cwts kill engage|release`: the operator's kill switch, through the segment's header flag. */
import { HeaderFlag } from '@cwts/shm-layout';
import { DEFAULT_SEGMENT_NAME, Segment, SegmentError, wakeSignalConsumer } from '@cwts/py-bridge';
import { CliError, helpText, parseOptions, type Command, type OptionSpec } from './command.js';
import { CONNECTION_OPTIONS, withControlClient } from './control-command.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  name: { type: 'string', help: 'segment name under /dev/shm', default: DEFAULT_SEGMENT_NAME, placeholder: 'NAME' },
  reason: { type: 'string', help: 'why, for the audit trail (with --endpoint)', placeholder: 'TEXT' },
  ...CONNECTION_OPTIONS,
};

const DESCRIPTION = [
  'engage: set the kill flag; strategies refuse new submits at once, the engine refuses new orders and cancels the working ones.',
  'release: clear it (an explicit operator action; nothing releases it by itself).',
  'Through the segment on this machine; with --endpoint, through the engine\'s control socket (from another machine over tcp://).',
].join('\n');

export const kill: Command = {
  name: 'kill',
  summary: 'engage or release the kill switch of a running engine',
  async run(args) {
    const [action, ...rest] = args;
    const values = parseOptions(rest, OPTIONS);
    if (action === '--help' || action === '-h' || values.help) {
      console.log(helpText('kill engage|release', DESCRIPTION, OPTIONS));
      return 0;
    }
    if (action !== 'engage' && action !== 'release') throw new CliError(`say 'engage' or 'release', got ${JSON.stringify(action ?? '')}`);
    if (values.endpoint !== undefined) {
      const reply = await withControlClient(values, (client) => client.request(`kill.${action}`, values.reason === undefined ? {} : { reason: values.reason }));
      console.log(`${String(values.endpoint)}: kill switch ${(reply as { killEngaged: boolean }).killEngaged ? 'ENGAGED' : 'released'}`);
      return 0;
    }
    let segment: Segment;
    try {
      segment = Segment.attach(String(values.name));
    } catch (error) {
      if (error instanceof SegmentError) throw new CliError(error.message, 1);
      throw error;
    }
    segment.setFlag(HeaderFlag.KILL_ENGAGED, action === 'engage');
    // The engine's hot loop may sleep on the signal ring: wake it to act on the flag now.
    wakeSignalConsumer(segment);
    console.log(`${segment.path}: kill switch ${action === 'engage' ? 'ENGAGED' : 'released'}`);
    return 0;
  },
};
