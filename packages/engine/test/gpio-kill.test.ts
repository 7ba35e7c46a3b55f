/**
 * The GPIO kill source, end to end: a stand-in line (a FIFO fed with the kernel's event structs)
 * drives the real native watcher, the KillSwitch and a running Engine with its hot loop.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Segment, StandInGpioLine } from '@cwts/py-bridge';
import { HeaderFlag } from '@cwts/shm-layout';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkGpio } from '../src/cli/doctor.js';
import { ConfigError, validateConfig } from '../src/config/load.js';
import { GpioKillSource, type GpioKillLineEvent } from '../src/kill/gpio-kill-source.js';
import { KillSwitch, type KillEvent } from '../src/kill/kill-switch.js';
import { Engine, type EngineConfigInput } from '../src/index.js';

const NAME = `cwts-gpio-kill-test-${process.pid}`;
const LINE = 17;
const WAIT = { timeout: 10_000, interval: 5 };

function standIn(active = false): StandInGpioLine {
  return StandInGpioLine.create({ offset: LINE, label: `stand-in line ${LINE}`, active });
}

/** Blocks this thread until the native watcher has set the flag: no JS callback can run meanwhile. */
function spinUntilFlag(segment: Segment): void {
  const deadline = Date.now() + 5000;
  while (!segment.hasFlag(HeaderFlag.KILL_ENGAGED)) if (Date.now() > deadline) throw new Error('the watcher did not set the flag');
}

describe('GpioKillSource with a KillSwitch', () => {
  let segment: Segment;
  let line: StandInGpioLine;
  let source: GpioKillSource | undefined;
  const kills: KillEvent[] = [];
  const lineEvents: GpioKillLineEvent[] = [];
  let killSwitch: KillSwitch;

  beforeEach(() => {
    segment = Segment.create({ name: `${NAME}-unit` });
    killSwitch = new KillSwitch(segment, (event) => kills.push(event));
    line = standIn();
    source = GpioKillSource.start(undefined, line.line, segment, killSwitch, (event) => lineEvents.push(event));
  });
  afterEach(() => {
    source?.close();
    line.hangUp();
    Segment.unlink(segment.name);
    kills.length = 0;
    lineEvents.length = 0;
  });

  it('names the GPIO when the flag is noticed before the edge reaches JS, and a late edge re-engages nothing', async () => {
    line.edge(true);
    spinUntilFlag(segment);
    killSwitch.poll(); // the engine's 5 ms drain can come first
    expect(kills).toMatchObject([{ engaged: true, source: 'gpio', reason: `stand-in line ${LINE} went active` }]);
    await vi.waitFor(() => expect(lineEvents).toHaveLength(1), WAIT);
    expect(lineEvents[0]).toMatchObject({ kind: 'active', seqno: 1, dropped: 0 });
    expect(kills).toHaveLength(1);

    // The next edge is noticed by poll too, and an operator releases before its event reaches
    // JS: that late event must not engage again.
    killSwitch.release('api', 'operator');
    line.edge(true);
    spinUntilFlag(segment);
    killSwitch.poll();
    killSwitch.release('api', 'operator');
    await vi.waitFor(() => expect(lineEvents).toHaveLength(2), WAIT);
    expect(kills.map((k) => `${k.engaged} ${k.source}`)).toEqual(['true gpio', 'false api', 'true gpio', 'false api']);
    expect(killSwitch.engaged).toBe(false);
  });

  it('reports dropped events and malformed input, and engages when the line can no longer be read', async () => {
    line.drop(2);
    line.edge(false);
    line.write(Buffer.alloc(10));
    await vi.waitFor(() => expect(lineEvents).toHaveLength(2), WAIT);
    expect(lineEvents[0]).toMatchObject({ kind: 'inactive', seqno: 3, dropped: 2 });
    expect(lineEvents[1]).toMatchObject({ kind: 'error', detail: expect.stringContaining('short read') });
    expect(kills).toEqual([]);
    line.hangUp();
    await vi.waitFor(() => expect(kills).toHaveLength(1), WAIT);
    expect(kills[0]).toMatchObject({ engaged: true, source: 'gpio', reason: expect.stringContaining('can no longer be seen') });
    expect(segment.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
  });
});

describe('the Engine with a GPIO kill line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cwts-gpio-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = (extra: EngineConfigInput = {}): EngineConfigInput => ({
    segment: { name: NAME },
    candles: { database: ':memory:', timeframes: ['1m'] },
    execution: { database: ':memory:' },
    audit: { database: ':memory:' },
    modes: { initial: 'FULL_AUTO', stateFile: join(dir, 'mode.json') },
    feeds: [{ type: 'simulated', eventsPerSecond: 200, seed: 5 }],
    ...extra,
  });

  /** Runs `test` against an engine watching `line`, and stops the engine however it ends. */
  async function withEngine(line: StandInGpioLine, test: (engine: Engine) => Promise<void>): Promise<void> {
    const engine = await Engine.start(config(), { gpioKillLine: line.line });
    try {
      await test(engine);
    } finally {
      await engine.stop();
      line.hangUp();
    }
  }

  it('engages with source gpio on the active edge, logs the inactive edge, and only an operator releases', async () => {
    const line = standIn();
    await withEngine(line, async (engine) => {
      const kills: string[] = [];
      const gpio: GpioKillLineEvent[] = [];
      engine.on('kill', (k) => kills.push(`${k.engaged ? 'engaged' : 'released'} by ${k.source}${k.cancelled === undefined ? '' : ' (hot loop)'}`));
      engine.on('gpio', (event) => gpio.push(event));
      const segment = Segment.attach(NAME);
      expect(engine.killEngaged).toBe(false);

      line.edge(true);
      await vi.waitFor(() => expect(kills).toContain('engaged by segment (hot loop)'), WAIT);
      expect(kills[0]).toBe('engaged by gpio');
      expect(segment.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
      await vi.waitFor(() => expect(gpio).toHaveLength(1), WAIT);
      expect(gpio[0]).toMatchObject({ line: `stand-in line ${LINE}`, kind: 'active', seqno: 1 });
      expect(gpio[0]!.edgeToFlagNs).toBeGreaterThan(0);

      line.edge(false);
      await vi.waitFor(() => expect(gpio).toHaveLength(2), WAIT);
      expect(gpio[1]).toMatchObject({ kind: 'inactive', detail: expect.stringContaining('until an operator releases it') });
      expect(engine.killEngaged).toBe(true);
      expect(segment.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);

      engine.releaseKill('operator');
      expect(segment.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(false);
      line.edge(true);
      await vi.waitFor(() => expect(kills.filter((k) => k === 'engaged by gpio')).toHaveLength(2), WAIT);
      expect(kills.filter((k) => !k.includes('hot loop'))).toEqual(['engaged by gpio', 'released by api', 'engaged by gpio']);
    });
    expect(line.line.stats()?.running).toBe(false); // the engine stopped the watcher and closed the line
  });

  it('engages at start when the line is already active', async () => {
    await withEngine(standIn(true), async (engine) => {
      expect(engine.killEngaged).toBe(true);
      expect(Segment.attach(NAME).hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
    });
  });

  it('fails to start with the chip, line and errno when kill.gpio names no chip, and leaves nothing behind', async () => {
    await expect(Engine.start(config({ kill: { gpio: { chip: '/dev/no-such-gpiochip', line: 2 } } }))).rejects.toThrow(
      'GPIO chip "/dev/no-such-gpiochip" line 2: open failed: ENOENT (No such file or directory)',
    );
    expect(existsSync(`/dev/shm/${NAME}`)).toBe(false);
    await (await Engine.start(config())).stop(); // the name is free again
  });

  it('validates kill.gpio: off by default, defaults filled in, bad fields named', () => {
    expect(validateConfig({}).kill.gpio).toBeUndefined();
    expect(validateConfig({ kill: { gpio: { chip: '/dev/gpiochip0', line: 4 } } }).kill.gpio).toEqual({
      chip: '/dev/gpiochip0', line: 4, activeLow: false, bias: 'as-is', debounceUs: 0, consumer: 'cwts-kill',
    });
    expect(() => validateConfig({ kill: { gpio: { chip: '/dev/gpiochip0', line: -1 } } })).toThrow(ConfigError);
    expect(() => validateConfig({ kill: { gpio: { chip: '/dev/gpiochip0', line: 1, bias: 'sideways' } } } as never)).toThrow(/kill\.gpio\.bias/);
    expect(() => validateConfig({ kill: { gpio: { chip: '/dev/gpiochip0', line: 1, debounceUs: 5_000_000 } } })).toThrow(/kill\.gpio\.debounceUs/);
  });
});

describe('cwts doctor on GPIO', () => {
  it('warns with advice when there is no GPIO character device, and lists the chips when there are', () => {
    const dev = mkdtempSync(join(tmpdir(), 'cwts-dev-'));
    try {
      writeFileSync(join(dev, 'gpiochipx'), '');
      expect(checkGpio(dev)).toMatchObject({ name: 'gpio', level: 'warn', detail: expect.stringContaining('no GPIO character devices'), advice: expect.stringContaining('CONFIG_GPIO_CDEV') });
      for (const chip of ['gpiochip10', 'gpiochip2', 'gpiochip0']) writeFileSync(join(dev, chip), '');
      expect(checkGpio(dev)).toEqual({ name: 'gpio', level: 'ok', detail: 'gpiochip0, gpiochip2, gpiochip10: usable for kill.gpio' });
    } finally {
      rmSync(dev, { recursive: true, force: true });
    }
  });
});
