import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentCpu,
  futexWait,
  futexWake,
  onlineCpus,
  pinThread,
  shmAttach,
  shmCreate,
  shmSize,
  shmUnlink,
  type FutexWaitResult,
} from '../src/native.js';

const FUTEX_WAITER = new URL('./fixtures/futex-waiter.mjs', import.meta.url);
const PIN_THREAD = new URL('./fixtures/pin-thread.mjs', import.meta.url);

let n = 0;
const names: string[] = [];
const workers: Worker[] = [];
const children: ChildProcess[] = [];

function fresh(): string {
  const name = `cwts-test-native-${process.pid}-${n++}`;
  names.push(name);
  return name;
}

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  throw new Error('expected a throw');
}

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  for (const name of names.splice(0)) {
    try {
      shmUnlink(name);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    }
  }
});

/** Current thread's allowed CPUs, as the kernel lists them. */
function allowedCpus(): string | undefined {
  return /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/thread-self/status', 'utf8'))?.[1];
}

// The futex syscall number, to see a waiter inside FUTEX_WAIT (op 0x0: no private flag).
const SYS_FUTEX = process.arch === 'x64' ? '202' : process.arch === 'arm64' ? '98' : undefined;

/** Resolves once thread `tid` of `pid` sleeps in FUTEX_WAIT, so a wake cannot race ahead of it. */
async function untilBlockedInFutexWait(pid: number, tid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    let fields: string[];
    try {
      fields = readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8').trim().split(' ');
    } catch {
      await sleep(200); // no /proc syscall view: a generous pause instead
      return;
    }
    if (SYS_FUTEX === undefined) return void (await sleep(200));
    if (fields[0] === SYS_FUTEX && fields[2] === '0x0') return;
    await sleep(2);
  }
  throw new Error(`thread ${pid}/${tid} never blocked in FUTEX_WAIT`);
}

/** Messages in arrival order; `next()` waits for one, or rejects once the sender has failed. */
class Inbox<T> {
  private readonly queued: T[] = [];
  private waiter: { resolve(message: T): void; reject(error: unknown): void } | undefined;
  private failure: { error: unknown } | undefined;

  readonly push = (message: T): void => {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter.resolve(message);
    else this.queued.push(message);
  };

  readonly fail = (error: unknown): void => {
    this.failure ??= { error };
    this.waiter?.reject(error);
    this.waiter = undefined;
  };

  next(): Promise<T> {
    if (this.queued.length > 0) return Promise.resolve(this.queued.shift()!);
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }
}

interface Ready {
  type: 'ready';
  tid: number;
}
interface Result {
  type: 'result';
  result: FutexWaitResult;
  returnedNs: string;
}

describe('shared memory', () => {
  it('creates an object that a second mapping sees byte for byte, with exactly mode 0600', () => {
    const name = fresh();
    const created = shmCreate(name, 8192, 0o600);
    const attached = shmAttach(name);
    expect(created.byteLength).toBe(8192);
    expect(attached.byteLength).toBe(8192);
    expect(shmSize(name)).toBe(8192);
    const stat = statSync(`/dev/shm/${name}`);
    expect(stat.size).toBe(8192);
    expect(stat.mode & 0o777).toBe(0o600);

    new Uint8Array(created).set([1, 2, 3], 4000);
    expect([...new Uint8Array(attached, 4000, 3)]).toEqual([1, 2, 3]);
    new Float64Array(attached)[1023] = 42.5; // the last 8 bytes: the whole object is mapped
    expect(new Float64Array(created)[1023]).toBe(42.5);
  });

  it('honors mode 0640 whatever the umask', () => {
    const name = fresh();
    const restore = isMainThread ? process.umask(0o077) : undefined; // umask would strip g+r
    try {
      shmCreate(name, 4096, 0o640);
    } finally {
      if (restore !== undefined) process.umask(restore);
    }
    expect(statSync(`/dev/shm/${name}`).mode & 0o777).toBe(0o640);
  });

  it('refuses to create an existing object (EEXIST) and leaves it intact', () => {
    const name = fresh();
    new Uint8Array(shmCreate(name, 4096, 0o600))[0] = 7;
    expect(codeOf(() => shmCreate(name, 65536, 0o600))).toBe('EEXIST');
    expect(() => shmCreate(name, 4096, 0o600)).toThrow(/shm_open\("\/cwts-test-native-.*"\) failed: EEXIST \(File exists\)/);
    expect(shmSize(name)).toBe(4096);
    expect(new Uint8Array(shmAttach(name))[0]).toBe(7);
  });

  it('reports a missing object as ENOENT from attach, size and unlink', () => {
    const name = fresh();
    expect(codeOf(() => shmAttach(name))).toBe('ENOENT');
    expect(codeOf(() => shmSize(name))).toBe('ENOENT');
    expect(codeOf(() => shmUnlink(name))).toBe('ENOENT');
    expect(() => shmAttach(name)).toThrow(`shm_open("/${name}") failed: ENOENT (No such file or directory)`);
  });

  it('refuses to attach an empty object', () => {
    const name = fresh();
    writeFileSync(`/dev/shm/${name}`, '', { mode: 0o600 });
    expect(() => shmAttach(name)).toThrow(/is empty/);
  });

  it('rejects bad names with a TypeError before any syscall', () => {
    for (const bad of ['', 'a/b', '/cwts', 'x'.repeat(201), 'nul\0byte']) {
      expect(() => shmCreate(bad, 4096, 0o600)).toThrow(TypeError);
      expect(() => shmAttach(bad)).toThrow(TypeError);
      expect(() => shmUnlink(bad)).toThrow(TypeError);
      expect(() => shmSize(bad)).toThrow(TypeError);
    }
    expect(() => shmAttach(42 as unknown as string)).toThrow(TypeError);
    // 200 bytes is the longest accepted name.
    const longest = fresh();
    const padded = longest.padEnd(200, 'x');
    names.push(padded);
    expect(shmCreate(padded, 4096, 0o600).byteLength).toBe(4096);
  });

  it('rejects sizes and modes out of range', () => {
    const name = fresh();
    expect(() => shmCreate(name, 0, 0o600)).toThrow(RangeError);
    expect(() => shmCreate(name, 1.5, 0o600)).toThrow(RangeError);
    expect(() => shmCreate(name, 4096, 0o4755)).toThrow(RangeError);
    expect(() => statSync(`/dev/shm/${name}`)).toThrow(/ENOENT/);
  });
});

describe('futex', () => {
  it('wakes nobody when nobody waits', () => {
    const buffer = shmCreate(fresh(), 4096, 0o600);
    expect(futexWake(buffer, 0, 1)).toBe(0);
    expect(futexWake(buffer, 4092, 0x7fffffff)).toBe(0);
  });

  it("returns 'not-equal' at once when the word differs, comparing 32 bits", () => {
    const buffer = shmCreate(fresh(), 4096, 0o600);
    const words = new Uint32Array(buffer);
    words[1] = 5;
    expect(futexWait(buffer, 4, 6, -1)).toBe('not-equal');
    words[1] = 0xffffffff;
    expect(futexWait(buffer, 4, 0, -1)).toBe('not-equal');
    // -1 and 0xffffffff are the same word: both wait, and time out.
    expect(futexWait(buffer, 4, -1, 1)).toBe('timeout');
    expect(futexWait(buffer, 4, 0xffffffff, 1)).toBe('timeout');
  });

  it("returns 'timeout' after at least the timeout", () => {
    const buffer = shmCreate(fresh(), 4096, 0o600);
    const start = process.hrtime.bigint();
    expect(futexWait(buffer, 8, 0, 30)).toBe('timeout');
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeGreaterThanOrEqual(29);
  });

  it('rejects misaligned or out-of-bounds words with a RangeError', () => {
    const buffer = shmCreate(fresh(), 4096, 0o600);
    expect(() => futexWait(buffer, 2, 0, 1)).toThrow(RangeError);
    expect(() => futexWake(buffer, 1, 1)).toThrow(RangeError);
    expect(() => futexWait(buffer, 4096, 0, 1)).toThrow(RangeError);
    expect(() => futexWake(buffer, -4, 1)).toThrow(RangeError);
    expect(() => futexWait(buffer, 0, 2 ** 32, 1)).toThrow(RangeError);
    expect(() => futexWake(new Uint8Array(buffer) as unknown as ArrayBuffer, 0, 1)).toThrow(TypeError);
  });

  it('wakes a worker_thread waiting through its own mapping', async () => {
    const name = fresh();
    const buffer = shmCreate(name, 4096, 0o600);
    const worker = new Worker(FUTEX_WAITER, { workerData: { name, byteOffset: 64, expected: 0, timeoutMs: 10_000 } });
    workers.push(worker);
    const inbox = new Inbox<Ready | Result>();
    worker.on('message', inbox.push).on('error', inbox.fail);

    const ready = (await inbox.next()) as Ready;
    await untilBlockedInFutexWait(process.pid, ready.tid);
    const wokenAt = process.hrtime.bigint();
    Atomics.store(new Int32Array(buffer), 16, 1);
    expect(futexWake(buffer, 64, 1)).toBe(1);
    const result = (await inbox.next()) as Result;
    expect(result.result).toBe('ok');
    expect(Number(BigInt(result.returnedNs) - wokenAt) / 1e6).toBeLessThan(2_000);
  });

  it('wakes another process waiting on the same shm word', async () => {
    const name = fresh();
    const buffer = shmCreate(name, 4096, 0o600);
    const child = spawn(process.execPath, [fileURLToPath(FUTEX_WAITER), name, '128', '0', '10000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const inbox = new Inbox<Ready | Result>();
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
        inbox.push(JSON.parse(pending.slice(0, at)) as Ready | Result);
        pending = pending.slice(at + 1);
      }
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    void closed.then((code) => inbox.fail(new Error(`waiter exited with code ${code}`)));
    child.on('error', inbox.fail);

    const ready = (await inbox.next()) as Ready;
    expect(ready).toEqual({ type: 'ready', tid: child.pid });
    await untilBlockedInFutexWait(child.pid!, ready.tid);
    const wokenAt = process.hrtime.bigint();
    Atomics.store(new Int32Array(buffer), 32, 1);
    expect(futexWake(buffer, 128, 1)).toBe(1);
    const result = (await inbox.next()) as Result;
    expect(result.result).toBe('ok');
    expect(Number(BigInt(result.returnedNs) - wokenAt) / 1e6).toBeLessThan(2_000);
    expect(await closed).toBe(0);
  });
});

describe('cpu', () => {
  it('counts online CPUs and says which one runs us', () => {
    expect(onlineCpus()).toBeGreaterThanOrEqual(1);
    expect(currentCpu()).toBeGreaterThanOrEqual(0);
  });

  it('pins only the calling thread', async () => {
    const before = allowedCpus();
    // A worker, so the test runner's own thread stays free to run anywhere.
    const worker = new Worker(PIN_THREAD, { workerData: { core: 0 } });
    workers.push(worker);
    const report = await new Promise<{ cpu: number; allowed: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(report).toEqual({ cpu: 0, allowed: '0' });
    expect(allowedCpus()).toBe(before);
  });

  it('refuses a core that does not exist, naming it and the online count', () => {
    expect(() => pinThread(9999)).toThrow(new RegExp(`9999.*${onlineCpus()} CPUs online`));
    expect(() => pinThread(-1)).toThrow(/CPUs online/);
  });
});
