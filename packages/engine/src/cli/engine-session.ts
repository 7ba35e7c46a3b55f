/**
 * What `cwts run`, `record` and `replay` share: load the config, start the engine, keep a
 * live status line and the state file for `cwts status`, stop on Ctrl-C, SIGTERM, the
 * time limit or (for a replay) the end of the feeds, and print a short summary.
 */
import { ConfigError, loadConfig, validateConfig } from '../config/load.js';
import type { EngineConfig, EngineConfigInput } from '../config/schema.js';
import { Engine, type EngineState, type EngineSummary } from '../engine.js';
import { removeStateFile, writeStateFile } from '../state-file.js';
import { CliError, positiveNumber, type OptionSpec } from './command.js';
import { StatusLine } from './status-line.js';

export const SESSION_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  config: { type: 'string', help: 'engine config, JSON or YAML; omitted: the simulated venue with default symbols', placeholder: 'FILE' },
  seconds: { type: 'string', help: 'stop after N seconds; omitted: run until Ctrl-C', placeholder: 'N' },
  name: { type: 'string', help: 'segment name under /dev/shm, overriding the config', placeholder: 'NAME' },
};

export interface SessionOptions {
  readonly values: Record<string, string | boolean | undefined>;
  /** Changes the loaded config before the start (the record path, the replay feed). */
  readonly adjust?: (config: EngineConfig) => EngineConfigInput;
  /** Stop when every feed has ended (a replay), not only on a signal or the time limit. */
  readonly untilFeedsEnd?: boolean;
}

export function describeState(state: EngineState): string {
  const rate = state.symbols.reduce((sum, s) => sum + s.updatesPerSecond, 0);
  const flagged = state.symbols.filter((s) => (s.flags & ~1) !== 0).length;
  const p50 = (state.publishLatencyNs.p50 / 1000).toFixed(1);
  const recorded = state.recordedEvents === undefined ? '' : `, ${state.recordedEvents.toLocaleString('en-US')} events recorded`;
  return `${state.segment}: ${state.symbols.length} symbols, ${rate.toLocaleString('en-US')} updates/s, ${flagged} flagged, publish p50 ${p50} µs${recorded}, up ${state.uptimeSeconds.toFixed(0)} s`;
}

function summarize(summary: EngineSummary): string {
  const lines = [
    `stopped after ${summary.uptimeSeconds.toFixed(1)} s: ${summary.totalUpdates.toLocaleString('en-US')} book updates over ${summary.symbols.length} symbols, ` +
      `receive-to-publish p50 ${(summary.publishLatencyNs.p50 / 1000).toFixed(1)} µs p99 ${(summary.publishLatencyNs.p99 / 1000).toFixed(1)} µs`,
  ];
  const raised = summary.symbols.filter((s) => Object.values(s.validation).some((n) => n > 0));
  for (const s of raised) lines.push(`  ${s.symbol}: flags raised ${Object.entries(s.validation).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}x`).join(', ')}`);
  if (summary.recordedEvents !== undefined) lines.push(`recorded ${summary.recordedEvents.toLocaleString('en-US')} events`);
  const model = summary.model;
  if (model) lines.push(`${model.source}: ${model.inferences.toLocaleString('en-US')} inferences, ${model.superseded} vectors superseded while it ran, ${model.failures} failures`);
  return lines.join('\n');
}

function configFrom(options: SessionOptions): EngineConfig {
  const { values, adjust } = options;
  try {
    let config = typeof values.config === 'string' ? loadConfig(values.config) : validateConfig({});
    if (typeof values.name === 'string') config = validateConfig({ ...config, segment: { ...config.segment, name: values.name } });
    return adjust ? validateConfig(adjust(config)) : config;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 1);
    throw error;
  }
}

export async function runSession(options: SessionOptions): Promise<number> {
  const seconds = options.values.seconds === undefined ? undefined : positiveNumber(options.values.seconds, 'seconds');
  const engine = await Engine.start(configFrom(options)).catch((error: Error) => {
    throw new CliError(error.message, 1);
  });
  const status = new StatusLine(process.stderr);
  console.error(`cwts engine (pid ${process.pid}) publishing to /dev/shm/${engine.segmentName}; Ctrl-C stops`);
  const ticker = setInterval(() => {
    const state = engine.state();
    writeStateFile(engine.segmentName, state);
    status.update(describeState(state));
  }, 1000);
  const feeds = engine.config.feeds.length;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (seconds !== undefined) setTimeout(resolve, seconds * 1000).unref();
    if (options.untilFeedsEnd) {
      let ended = 0;
      engine.on('feedEnded', () => ++ended === feeds && resolve());
    }
  });
  clearInterval(ticker);
  const summary = await engine.stop();
  removeStateFile(engine.segmentName);
  status.done();
  console.log(summarize(summary));
  return 0;
}
