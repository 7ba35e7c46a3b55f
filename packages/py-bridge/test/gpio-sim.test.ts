/**
 * The real thing: a simulated GPIO chip (gpio-sim, through configfs) whose line pulls make the
 * kernel send real edge events. Kernels without gpio-sim (this project's VMs have no GPIO at all)
 * skip it, and say why.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeaderFlag } from '@cwts/shm-layout';
import { GpioLine } from '../src/gpio-line.js';
import type { GpioLineEvent } from '../src/native.js';
import { Segment } from '../src/segment.js';

const CONFIGFS = '/sys/kernel/config/gpio-sim';
const skipped = !existsSync(CONFIGFS)
  ? `${CONFIGFS} does not exist: this kernel has no gpio-sim (CONFIG_GPIO_SIM) or configfs is not mounted`
  : process.getuid?.() !== 0 ? 'creating a gpio-sim chip needs root' : undefined;
if (skipped) console.warn(`gpio-sim test skipped: ${skipped}`);

const device = `${CONFIGFS}/cwts-test-${process.pid}`;
let chip = '';
let pulls = '';

function pull(line: number, to: 'pull-up' | 'pull-down'): void {
  writeFileSync(`${pulls}/sim_gpio${line}/pull`, to);
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.skipIf(skipped)(`the GPIO kill line on a gpio-sim chip${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  beforeAll(() => {
    mkdirSync(device);
    mkdirSync(`${device}/bank0`);
    writeFileSync(`${device}/bank0/num_lines`, '4');
    writeFileSync(`${device}/live`, '1');
    const chipName = readFileSync(`${device}/bank0/chip_name`, 'utf8').trim();
    chip = `/dev/${chipName}`;
    pulls = `/sys/devices/platform/${readFileSync(`${device}/dev_name`, 'utf8').trim()}/${chipName}`;
  });

  afterAll(() => {
    if (!existsSync(device)) return;
    writeFileSync(`${device}/live`, '0');
    rmdirSync(`${device}/bank0`);
    rmdirSync(device);
  });

  it('reads the level at open, sets the flag on the active edge and reports both edges', async () => {
    const segment = Segment.create({ name: `cwts-test-gpio-sim-${process.pid}` });
    try {
      pull(1, 'pull-up');
      const already = GpioLine.open(chip, 1);
      expect(already.activeAtOpen).toBe(true);
      already.close();

      pull(1, 'pull-down');
      const line = GpioLine.open(chip, 1, { debounceUs: 0 });
      expect(line.activeAtOpen).toBe(false);
      const events: GpioLineEvent[] = [];
      line.watch(segment.flagWord(HeaderFlag.KILL_ENGAGED), (event) => events.push(event));
      pull(1, 'pull-up');
      await until('the active edge', () => events.length === 1);
      expect(segment.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
      pull(1, 'pull-down');
      await until('the inactive edge', () => events.length === 2);
      expect(events).toMatchObject([{ kind: 'edge', active: true, offset: 1, seqno: 1 }, { kind: 'edge', active: false, seqno: 2 }]);
      line.close();
    } finally {
      Segment.unlink(segment.name);
    }
  });

  it('with activeLow, a line pulled low is active', async () => {
    pull(2, 'pull-down');
    const line = GpioLine.open(chip, 2, { activeLow: true });
    expect(line.activeAtOpen).toBe(true);
    line.close();
  });

  it('refuses a line that is already taken, naming it', () => {
    const line = GpioLine.open(chip, 3);
    try {
      expect(() => GpioLine.open(chip, 3)).toThrow(expect.objectContaining({ code: 'EBUSY', message: expect.stringContaining(`GPIO chip "${chip}" line 3`) }));
    } finally {
      line.close();
    }
  });
});
