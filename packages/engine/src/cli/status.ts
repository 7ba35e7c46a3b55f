/** `cwts status`: what a running engine publishes, read from its segment and its state file. */
import { ControlMode, HeaderFlag, SymbolStatus } from '@cwts/shm-layout';
import { DEFAULT_SEGMENT_NAME, MarketDataReader, Segment, SegmentError, type SymbolSnapshot } from '@cwts/py-bridge';
import { readStateFile } from '../state-file.js';
import { defineCommand, CliError, positiveNumber, type OptionSpec, type OptionValues } from './command.js';
import { CONNECTION_OPTIONS, withControlClient } from './control-command.js';
import type { EngineState } from '../engine.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  name: { type: 'string', help: 'segment name under /dev/shm', default: DEFAULT_SEGMENT_NAME, placeholder: 'NAME' },
  interval: { type: 'string', help: 'seconds between the two samples that give the rates', default: '1', placeholder: 'S' },
  json: { type: 'boolean', help: 'print one JSON object instead of the table' },
  ...CONNECTION_OPTIONS,
};

const DESCRIPTION = [
  'Show the engine: liveness, mode, kill state, each symbol with its rate, flags and staleness, and latencies.',
  'From the segment on this machine; with --endpoint, from the engine itself through its control socket (from another machine over tcp://).',
].join('\n');
const STALE_HEARTBEAT_MS = 50;

export function flagNames(bits: number, flags: Readonly<Record<string, number>>): string[] {
  return Object.entries(flags).filter(([, bit]) => (bits & bit) !== 0).map(([name]) => name.toLowerCase());
}

function modeName(value: number): string {
  return Object.entries(ControlMode).find(([, v]) => v === value)?.[0] ?? `unknown (${value})`;
}

export const status = defineCommand({
  name: 'status',
  summary: 'show symbols, rates, staleness, mode, kill state and latencies of a running engine',
  description: DESCRIPTION,
  options: OPTIONS,
  async run(values) {
    if (values.endpoint !== undefined) return statusOverControl(values);
    const name = String(values.name);
    const interval = positiveNumber(values.interval, 'interval');
    let segment: Segment;
    try {
      segment = Segment.attach(name);
    } catch (error) {
      if (error instanceof SegmentError) throw new CliError(error.message, 1);
      throw error;
    }
    const reader = new MarketDataReader(segment);
    const first = reader.readAll();
    await new Promise((r) => setTimeout(r, interval * 1000));
    const second = reader.readAll();
    const nowNs = process.hrtime.bigint();
    const header = segment.header;
    const heartbeatAgeMs = Number(nowNs - header.heartbeatNs) / 1e6;
    const alive = segment.hasFlag(HeaderFlag.ENGINE_ALIVE) && heartbeatAgeMs < STALE_HEARTBEAT_MS;
    const engineState = readStateFile(name);
    const symbols = second.map((s: SymbolSnapshot, i) => ({
      symbol: s.name,
      venue: s.venue,
      updatesPerSecond: (s.updateCount - (first[i]?.updateCount ?? 0)) / interval,
      updates: s.updateCount,
      bid: s.bid,
      ask: s.ask,
      lastPublishAgeMs: s.publishTsNs ? Number(nowNs - BigInt(Math.round(s.publishTsNs))) / 1e6 : undefined,
      flags: flagNames(s.status & ~SymbolStatus.ACTIVE, SymbolStatus),
    }));
    const report = {
      segment: segment.path,
      enginePid: header.enginePid,
      alive,
      heartbeatAgeMs,
      mode: modeName(header.controlMode),
      killEngaged: segment.hasFlag(HeaderFlag.KILL_ENGAGED),
      breakerTripped: segment.hasFlag(HeaderFlag.BREAKER_TRIPPED),
      symbols,
      publishLatencyNs: engineState?.publishLatencyNs,
      colocation: engineState?.colocation,
    };
    if (values.json) {
      console.log(JSON.stringify(report));
      return alive ? 0 : 1;
    }
    console.log(`${report.segment}  engine pid ${report.enginePid}  ${alive ? 'alive' : 'NOT ALIVE'} (heartbeat ${heartbeatAgeMs.toFixed(1)} ms ago)  mode ${report.mode}  kill ${report.killEngaged ? 'ENGAGED' : 'released'}${report.breakerTripped ? '  breaker TRIPPED' : ''}`);
    if (report.colocation) {
      const c = report.colocation;
      console.log(`co-location: io core ${c.ioCore}, hot-loop core ${c.hotLoopCore ?? 'no execution'}, memory locked ${c.memoryLocked}, ${c.onlineCpus} CPUs online`);
    }
    if (report.publishLatencyNs) {
      const l = report.publishLatencyNs;
      console.log(`receive-to-publish latency: p50 ${(l.p50 / 1000).toFixed(1)} µs  p99 ${(l.p99 / 1000).toFixed(1)} µs  max ${(l.max / 1000).toFixed(1)} µs over ${l.count} updates`);
    }
    console.log('');
    console.log(`${'symbol'.padEnd(16)}${'venue'.padEnd(10)}${'updates/s'.padStart(11)}${'bid'.padStart(14)}${'ask'.padStart(14)}${'age ms'.padStart(10)}  flags`);
    for (const s of symbols) {
      console.log(`${s.symbol.padEnd(16)}${s.venue.padEnd(10)}${s.updatesPerSecond.toFixed(0).padStart(11)}${String(s.bid).padStart(14)}${String(s.ask).padStart(14)}` +
        `${(s.lastPublishAgeMs === undefined ? '-' : s.lastPublishAgeMs.toFixed(0)).padStart(10)}  ${s.flags.join(',') || '-'}`);
    }
    return alive ? 0 : 1;
  },
});

/** `status --endpoint`: the engine's own state, asked over the control socket. */
async function statusOverControl(values: OptionValues): Promise<number> {
  const state = (await withControlClient(values, (client) => client.request('status'))) as EngineState & { mode: string; killEngaged: boolean };
  if (values.json) {
    console.log(JSON.stringify(state));
    return 0;
  }
  const l = state.publishLatencyNs;
  console.log(`${String(values.endpoint)}  engine pid ${state.pid}  up ${state.uptimeSeconds.toFixed(0)} s  mode ${state.mode}  kill ${state.killEngaged ? 'ENGAGED' : 'released'}`);
  console.log(`receive-to-publish latency: p50 ${(l.p50 / 1000).toFixed(1)} µs  p99 ${(l.p99 / 1000).toFixed(1)} µs over ${l.count} updates`);
  console.log('');
  console.log(`${'symbol'.padEnd(16)}${'feed'.padEnd(10)}${'updates/s'.padStart(11)}${'bid'.padStart(14)}${'ask'.padStart(14)}  flags`);
  for (const s of state.symbols) {
    console.log(`${s.symbol.padEnd(16)}${s.feed.padEnd(10)}${s.updatesPerSecond.toFixed(0).padStart(11)}${String(s.bid).padStart(14)}${String(s.ask).padStart(14)}  ${flagNames(s.flags & ~SymbolStatus.ACTIVE, SymbolStatus).join(',') || '-'}`);
  }
  return 0;
}
