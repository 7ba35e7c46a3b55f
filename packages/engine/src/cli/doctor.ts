/**
 * `cwts doctor`: checks what co-location, the bridge and the GPIO kill line need from this machine, and says
 * what to change. Each check reports ok, warn or fail; the exit code is 1 if any failed.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEGMENT_SIZE } from '@cwts/shm-layout';
import { Segment, native } from '@cwts/py-bridge';
import { defineCommand, type OptionSpec } from './command.js';

export interface Check {
  readonly name: string;
  readonly level: 'ok' | 'warn' | 'fail';
  readonly detail: string;
  readonly advice?: string;
}

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', help: 'print the checks as JSON' },
};

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function checkShm(): Check {
  if (!existsSync('/dev/shm')) return { name: '/dev/shm', level: 'fail', detail: 'missing', advice: 'mount a tmpfs on /dev/shm (mount -t tmpfs tmpfs /dev/shm)' };
  const free = statfsSync('/dev/shm');
  const freeBytes = free.bavail * free.bsize;
  const probe = `cwts-doctor-${process.pid}`;
  try {
    Segment.create({ name: probe });
    Segment.unlink(probe);
  } catch (error) {
    return { name: '/dev/shm', level: 'fail', detail: `cannot create a segment: ${(error as Error).message}`, advice: 'make /dev/shm writable for this user' };
  }
  if (freeBytes < SEGMENT_SIZE * 4) {
    return { name: '/dev/shm', level: 'warn', detail: `${freeBytes} bytes free`, advice: `give /dev/shm at least ${SEGMENT_SIZE * 4} bytes` };
  }
  return { name: '/dev/shm', level: 'ok', detail: `writable, ${(freeBytes / 2 ** 20).toFixed(0)} MiB free; a segment takes ${(SEGMENT_SIZE / 1024).toFixed(0)} KiB` };
}

function checkCores(): Check {
  const online = native.onlineCpus();
  const isolated = readText('/sys/devices/system/cpu/isolated') ?? '';
  if (online < 4) {
    return { name: 'cores', level: 'warn', detail: `${online} online, isolated: ${isolated || 'none'}`,
      advice: 'co-location wants a core each for the engine hot loop, its I/O and each strategy: 4 or more' };
  }
  if (!isolated) {
    return { name: 'cores', level: 'warn', detail: `${online} online, none isolated`,
      advice: 'isolate the hot-loop cores from the scheduler: boot with isolcpus=2,3 nohz_full=2,3 (for example) and pin there' };
  }
  return { name: 'cores', level: 'ok', detail: `${online} online, isolated: ${isolated}` };
}

function checkHugePages(): Check {
  const meminfo = readText('/proc/meminfo') ?? '';
  const total = Number(/HugePages_Total:\s+(\d+)/.exec(meminfo)?.[1] ?? 0);
  const thp = readText('/sys/kernel/mm/transparent_hugepage/enabled') ?? 'unknown';
  if (total === 0) {
    return { name: 'huge pages', level: 'warn', detail: `none reserved; transparent huge pages: ${thp}`,
      advice: 'reserve some (sysctl vm.nr_hugepages=64) so books and the engine heap take fewer TLB misses' };
  }
  return { name: 'huge pages', level: 'ok', detail: `${total} reserved; transparent huge pages: ${thp}` };
}

function checkMemlock(): Check {
  const limits = readText('/proc/self/limits') ?? '';
  const line = /Max locked memory\s+(\S+)\s+(\S+)/.exec(limits);
  const soft = line?.[1] ?? 'unknown';
  if (soft === 'unlimited') return { name: 'memlock limit', level: 'ok', detail: 'unlimited' };
  const bytes = Number(soft);
  const level = Number.isFinite(bytes) && bytes >= 512 * 2 ** 20 ? 'ok' : 'warn';
  return { name: 'memlock limit', level, detail: `${soft} bytes`,
    ...(level === 'warn' ? { advice: 'colocation.lockMemory needs more: ulimit -l unlimited, or LimitMEMLOCK=infinity in the systemd unit' } : {}) };
}

/** The GPIO character devices kill.gpio can use (`dev` is a parameter for the tests). */
export function checkGpio(dev = '/dev'): Check {
  const chips = readdirSync(dev).filter((name) => /^gpiochip\d+$/.test(name)).sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
  if (chips.length === 0) {
    return { name: 'gpio', level: 'warn', detail: `no GPIO character devices (${dev}/gpiochip*): kill.gpio cannot be used here`,
      advice: 'a hardware kill switch needs a kernel with CONFIG_GPIO_CDEV and the board\'s GPIO driver; without one, leave kill.gpio out' };
  }
  const denied = chips.filter((chip) => {
    try {
      accessSync(join(dev, chip), constants.R_OK | constants.W_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (denied.length) {
    return { name: 'gpio', level: 'warn', detail: `${chips.join(', ')}; not readable and writable by this user: ${denied.join(', ')}`,
      advice: 'requesting a line needs read-write access: add the engine\'s user to the group owning them (often gpio)' };
  }
  return { name: 'gpio', level: 'ok', detail: `${chips.join(', ')}: usable for kill.gpio` };
}

/** The repository's .venv when running from a checkout, else CWTS_PYTHON, else python3. */
function pythonForBridge(): string {
  if (process.env.CWTS_PYTHON) return process.env.CWTS_PYTHON;
  const venv = fileURLToPath(new URL('../../../../.venv/bin/python', import.meta.url));
  return existsSync(venv) ? venv : 'python3';
}

function checkPythonBridge(): Check {
  const python = pythonForBridge();
  const probe = spawnSync(python, ['-c', 'import cwts, cwts._shim; print(cwts.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return { name: 'python bridge', level: 'fail', detail: `${python} cannot import the cwts Cython shim: ${(probe.stderr || probe.error?.message || '').trim().split('\n').at(-1)}`,
      advice: 'run npm test (or npm run demo) once to build .venv, or pip install ./python into the Python FreqTrade uses; CWTS_PYTHON names it' };
  }
  return { name: 'python bridge', level: 'ok', detail: `${python}: cwts ${probe.stdout.trim()} with the Cython shim` };
}

export function runChecks(): Check[] {
  return [checkShm(), checkCores(), checkHugePages(), checkMemlock(), checkPythonBridge(), checkGpio()];
}

export const doctor = defineCommand({
  name: 'doctor',
  summary: 'check /dev/shm, cores and isolation, huge pages, memlock, the Python bridge and GPIO devices',
  description: 'Check what co-location, the bridge and a GPIO kill line need from this machine, and say what to change.',
  options: OPTIONS,
  async run(values) {
    const checks = runChecks();
    if (values.json) console.log(JSON.stringify(checks));
    else {
      for (const c of checks) {
        console.log(`${c.level.toUpperCase().padEnd(5)} ${c.name.padEnd(14)} ${c.detail}`);
        if (c.advice) console.log(`${''.padEnd(20)}→ ${c.advice}`);
      }
    }
    return checks.some((c) => c.level === 'fail') ? 1 : 0;
  },
});
