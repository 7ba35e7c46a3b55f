/**
 * The engine's ZeroMQ sockets with real sockets: ipc:// and tcp:// on 127.0.0.1, CURVE with
 * keys generated into a temp dir, one real engine (simulated venue, real hot loop).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Dealer, Request, Subscriber } from 'zeromq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { ControlClient, ControlError } from '../src/network/control-client.js';
import { generateKeyPair, readKeyPair, readPublicKey } from '../src/network/curve-keys.js';
import { RequestError, TOPICS, parseRequest, type EventEnvelope, type WireReport } from '../src/network/schema.js';
import { z85Decode } from '../src/network/zap-handler.js';
import { validateConfig } from '../src/config/load.js';

const NAME = `cwts-network-test-${process.pid}`;
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** The CLI in a second process; asynchronous, so that the engine in this one goes on answering. */
function cwts(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

async function until(condition: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await sleep(5);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every event a subscriber receives, by topic; `receiving` ends when the socket closes. */
function collect(socket: Subscriber): { events: EventEnvelope[]; topics: Set<string> } {
  const events: EventEnvelope[] = [];
  const topics = new Set<string>();
  void (async () => {
    try {
      for await (const [topic, body] of socket) {
        const event = JSON.parse(body!.toString()) as EventEnvelope;
        expect(event.topic).toBe(topic!.toString());
        events.push(event);
        topics.add(event.topic.startsWith('book.') ? 'book' : event.topic);
      }
    } catch {
      // closed
    }
  })();
  return { events, topics };
}

describe('the control request parser', () => {
  it('gives each golden vector its id and error code (python/tests/test_network.py sends the same over a socket)', () => {
    const { vectors } = JSON.parse(readFileSync(new URL('fixtures/control-requests.json', import.meta.url), 'utf8')) as { vectors: { body: string; id: unknown; error: string | null }[] };
    for (const vector of vectors) {
      let outcome: { id: unknown; error: string | null };
      try {
        outcome = { id: parseRequest(Buffer.from(vector.body)).id, error: null };
      } catch (error) {
        outcome = { id: (error as RequestError).id, error: (error as RequestError).code };
      }
      expect(outcome, vector.body).toEqual({ id: vector.id, error: vector.error });
    }
  });
});

describe('the network: ZeroMQ events and control', () => {
  let dir: string;
  let engine: Engine;
  let ipcEvents: string;
  let ipcControl: string;
  let tcpEvents: string;
  let tcpControl: string;
  let keys: { server: string; client: string; intruder: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-network-'));
    const authorized = join(dir, 'authorized');
    generateKeyPair(dir, 'server');
    generateKeyPair(authorized, 'client');
    generateKeyPair(join(dir, 'elsewhere'), 'intruder');
    keys = { server: join(dir, 'server.key'), client: join(authorized, 'client.key_secret'), intruder: join(dir, 'elsewhere', 'intruder.key_secret') };
    ipcEvents = `ipc://${dir}/events.ipc`;
    ipcControl = `ipc://${dir}/control.ipc`;
    tcpEvents = `tcp://127.0.0.1:${await freePort()}`;
    tcpControl = `tcp://127.0.0.1:${await freePort()}`;
    engine = await Engine.start({
      segment: { name: NAME },
      feeds: [{ type: 'simulated', eventsPerSecond: 2000, seed: 5 }],
      candles: { database: ':memory:' },
      execution: { database: ':memory:' },
      audit: { database: ':memory:' },
      modes: { initial: 'FULL_AUTO', stateFile: join(dir, 'mode.json') },
      risk: {
        account: { creditLimit: 1e12 },
        strategies: { '*': { maxOrderSize: 1e6, maxOrderValue: 1e12, creditLimit: 1e12, priceCollarPct: 50, maxOrdersPerSecond: 1e6, duplicateWindowMs: 0, maxFillsPerMinute: 1e6 } },
      },
      breakers: { errorRate: { limit: 0.5, windowMs: 60_000, minReports: 4 } },
      // The shipped model on one symbol, and a fusion that only decides: their topics too.
      model: { path: fileURLToPath(new URL('../models/mid-direction-v1.onnx', import.meta.url)), symbols: ['BTC/USDT'] },
      fusion: { sources: [{ source: 'model:mid-direction-v1', weight: 1 }, { source: 'tester', weight: 3 }], minSources: 1, windowMs: 50, trade: false },
      network: {
        publish: [ipcEvents, tcpEvents], control: [ipcControl, tcpControl], healthMs: 100, highWaterMark: 100,
        curve: { secretKeyFile: join(dir, 'server.key_secret'), authorizedKeysDir: authorized },
      },
    });
  });

  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the start of an engine whose endpoint is taken or whose key is missing, naming it, and leaves no segment', async () => {
    const base = {
      segment: { name: `${NAME}-bad` }, candles: { database: ':memory:' }, execution: { database: ':memory:' }, audit: { database: ':memory:' },
      modes: { stateFile: join(dir, 'bad-mode.json') },
    };
    const curve = { secretKeyFile: join(dir, 'server.key_secret'), authorizedKeysDir: join(dir, 'authorized') };
    await expect(Engine.start({ ...base, network: { control: [tcpControl], curve } })).rejects.toThrow(`cannot bind ${tcpControl}`);
    expect(existsSync(`/dev/shm/${NAME}-bad`)).toBe(false);
    await expect(Engine.start({ ...base, network: { control: [`tcp://127.0.0.1:${await freePort()}`], curve: { ...curve, secretKeyFile: join(dir, 'nope.key_secret') } } }))
      .rejects.toThrow(/cannot read the key file .*nope.key_secret/);
    await expect(Engine.start({ ...base, network: { control: [`tcp://127.0.0.1:${await freePort()}`], curve: { ...curve, secretKeyFile: keys.server } } }))
      .rejects.toThrow(/no secret-key: use the .key_secret file/);
    expect(existsSync(`/dev/shm/${NAME}-bad`)).toBe(false);
  });

  it('writes CURVE certificates that round-trip and refuses to overwrite them', () => {
    const pair = readKeyPair(join(dir, 'server.key_secret'));
    expect(readPublicKey(keys.server)).toBe(pair.publicKey);
    expect(z85Decode(pair.publicKey)).toHaveLength(32);
    expect(() => generateKeyPair(dir, 'server')).toThrow(/exists/);
    expect(() => readKeyPair(keys.server)).toThrow(/no secret-key/);
    expect(() => validateConfig({ network: { control: ['tcp://127.0.0.1:5555'] } })).toThrow(/tcp:\/\/ endpoints need curve/);
    expect(() => validateConfig({ network: { publish: ['udp://x'] } })).toThrow(/ipc:\/\/PATH or tcp:\/\/HOST:PORT/);
  });

  it('publishes every event type, versioned, with a gapless seq per topic, and takes signals over the control path', async () => {
    const subscriber = new Subscriber({ linger: 0 });
    subscriber.connect(ipcEvents);
    subscriber.subscribe();
    const { events, topics } = collect(subscriber);
    const reports: WireReport[] = [];
    const client = new ControlClient(ipcControl, { onReport: (r) => reports.push(r) });
    try {
      await until(() => topics.has('health') && topics.has('book'), 5000, 'health and books');
      const terminal = async (clientOrderId: number): Promise<WireReport> => {
        await until(() => reports.some((r) => r.clientOrderId === clientOrderId && r.terminal), 5000, `terminal report of ${clientOrderId}`);
        return reports.find((r) => r.clientOrderId === clientOrderId && r.terminal)!;
      };
      const buy = { symbol: 'BTC/USDT', strategyId: 1, action: 'BUY', orderType: 'MARKET', size: 0.001 };
      // FULL_AUTO: a market order fills (report, fill, position).
      const first = (await client.request('signal.submit', buy)) as { clientOrderId: number };
      expect(await terminal(first.clientOrderId)).toMatchObject({ kind: 'FILLED', symbol: 'BTC/USDT', strategyId: 1, cumulativeFilled: 0.001 });
      // SEMI_AUTO: the order waits for approval, announced on its topic, then fills.
      await client.request('mode.set', { mode: 'SEMI_AUTO', reason: 'test' });
      const parked = (await client.request('signal.submit', buy)) as { clientOrderId: number };
      await until(() => events.some((e) => e.topic === 'approval' && (e.data as { clientOrderId: number }).clientOrderId === parked.clientOrderId), 5000, 'approval');
      const { orderId } = events.find((e) => e.topic === 'approval')!.data as { orderId: number };
      expect(await client.request('approve', { orderId })).toEqual({ orderId, decision: 'approved' });
      expect(await terminal(parked.clientOrderId)).toMatchObject({ kind: 'FILLED' });
      await client.request('mode.set', { mode: 'FULL_AUTO' });
      // A limit update reaches the hot loop's risk checks at once.
      await client.request('limits.set', { strategy: 1, field: 'maxOrderSize', value: 0.0005 });
      expect(engine.limits.strategies['1']?.maxOrderSize).toBe(0.0005);
      const tooBig = (await client.request('signal.submit', buy)) as { clientOrderId: number };
      expect(await terminal(tooBig.clientOrderId)).toMatchObject({ kind: 'REJECTED', reason: 'RISK_MAX_ORDER_SIZE' });
      expect(await client.request('kill.engage', { reason: 'test' })).toEqual({ killEngaged: true });
      expect(await client.request('kill.release', { reason: 'test' })).toEqual({ killEngaged: false });
      // Rejects past half of the terminal reports trip the error-rate breaker (into EMERGENCY).
      for (let i = 0; i < 3; i++) {
        const bad = (await client.request('signal.submit', { ...buy, size: -1 })) as { clientOrderId: number };
        expect(await terminal(bad.clientOrderId)).toMatchObject({ kind: 'REJECTED', reason: 'INVALID_SIZE' });
      }
      expect(engine.propose({ source: 'tester', symbol: 'ETH/USDT', side: 'buy', confidence: 0.9 })).toMatchObject({ accepted: true });
      await until(() => TOPICS.every((t) => topics.has(t)), 5000, `every topic (missing ${TOPICS.filter((t) => !topics.has(t)).join(', ')})`);
      expect(events.every((e) => e.v === 1 && typeof e.ts === 'number')).toBe(true);
      for (const topic of new Set(events.map((e) => e.topic))) {
        const seqs = events.filter((e) => e.topic === topic).map((e) => e.seq);
        expect(seqs, topic).toEqual(seqs.map((_, i) => seqs[0]! + i));
      }
      expect(events.find((e) => e.topic === 'breaker')!.data).toMatchObject({ breaker: 'error rate' });
      expect(events.find((e) => e.topic === 'model')!.data).toMatchObject({ model: 'mid-direction-v1', symbol: 'BTC/USDT', pUp: expect.any(Number) });
      const ethFusion = () => events.find((e) => e.topic === 'fusion' && (e.data as { symbol: string }).symbol === 'ETH/USDT');
      await until(() => ethFusion() !== undefined, 5000, 'the fusion decision on ETH/USDT');
      // The tester's vote alone (weight 3 of 4, the model silent on ETH/USDT): 0.9 x 3/4 = 0.675, past the 0.5 threshold.
      expect(ethFusion()!.data).toMatchObject({ decision: 'buy', votes: [{ source: 'tester', side: 'buy', confidence: 0.9 }] });
      expect(events.find((e) => e.topic === 'kill')!.data).toMatchObject({ engaged: true, source: 'network', reason: 'test' });
      expect(events.find((e) => e.topic === 'position')!.data).toMatchObject({ strategyId: 1, symbol: 'BTC/USDT', size: 0.001 });
      const book = events.find((e) => e.topic === 'book.BTC/USDT')!.data as { bids: [number, number][]; asks: [number, number][] };
      expect(book.bids.length).toBeGreaterThan(0);
      expect(book.bids.length).toBeLessThanOrEqual(10);
      expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]);
      type Health = { mode: string; killEngaged: boolean; network: { publication: { published: number } } };
      const lastHealth = (): Health => events.filter((e) => e.topic === 'health').at(-1)!.data as Health;
      await until(() => lastHealth().mode === 'EMERGENCY', 5000, 'health in EMERGENCY');
      expect(lastHealth()).toMatchObject({ killEngaged: false, network: { publication: { published: expect.any(Number) } } });
    } finally {
      await client.close();
      subscriber.close();
    }
    // Leave the engine usable for the next tests.
    engine.resetBreakers();
    engine.setMode('FULL_AUTO', 'test', { operator: true });
  });

  it('answers good and bad requests with their id, an error code and a reason, and keeps serving', async () => {
    const reports: WireReport[] = [];
    const client = new ControlClient(ipcControl, { onReport: (r) => reports.push(r) });
    const raw = new Dealer({ linger: 0 });
    raw.connect(ipcControl);
    const rawReply = async (body: string | Buffer): Promise<{ id: unknown; ok: boolean; error?: { code: string; message: string } }> => {
      await raw.send(body);
      const [reply] = await raw.receive();
      return JSON.parse(reply!.toString());
    };
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: ControlError) => e.code);
    try {
      expect(await client.request('ping')).toMatchObject({ pong: true, v: 1 });
      expect(await client.request('status')).toMatchObject({ mode: 'FULL_AUTO', killEngaged: false, symbols: expect.any(Array) });
      expect(await client.request('limits.get')).toMatchObject({ account: { creditLimit: 1e12 } });
      expect(await client.request('breakers.reset')).toEqual({ mode: 'FULL_AUTO' });
      expect(await client.request('strategy.enable', { strategyId: 7 })).toEqual({ strategyId: 7, enabled: true });
      expect(await client.request('positions')).toEqual(expect.any(Array));
      // The worst input: not JSON, not an object, no id, another version, unknown commands and arguments.
      expect(await rawReply(Buffer.from([0xff, 0x00, 0xfe]))).toMatchObject({ id: null, ok: false, error: { code: 'BAD_REQUEST' } });
      expect(await rawReply('[1,2]')).toMatchObject({ id: null, ok: false, error: { code: 'BAD_REQUEST' } });
      expect(await rawReply('{"v":1,"cmd":"ping"}')).toMatchObject({ id: null, ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/needs an id/) } });
      expect(await rawReply('{"v":2,"id":"a","cmd":"ping"}')).toMatchObject({ id: 'a', ok: false, error: { code: 'UNSUPPORTED_VERSION' } });
      expect(await code(client.request('launch'))).toBe('UNKNOWN_COMMAND');
      expect(await code(client.request('mode.set', { mode: 'TURBO' }))).toBe('INVALID_ARGUMENT');
      expect(await code(client.request('ping', { extra: 1 }))).toBe('INVALID_ARGUMENT');
      expect(await code(client.request('limits.set', { strategy: 1, field: 'maxLeverage', value: 3 }))).toBe('INVALID_ARGUMENT');
      expect(await code(client.request('limits.set', { strategy: 1, field: 'maxOrderSize', value: -1 }))).toBe('INVALID_ARGUMENT');
      expect(await code(client.request('approve', { orderId: 424242 }))).toBe('REFUSED');
      expect(await code(client.request('signal.submit', { symbol: 'BTC/USDT', action: 'BUY', size: '1' }))).toBe('INVALID_ARGUMENT');
      await client.request('mode.set', { mode: 'EMERGENCY' });
      const refused = await client.request('mode.set', { mode: 'FULL_AUTO' }).catch((e: ControlError) => e);
      expect(refused).toMatchObject({ code: 'REFUSED', message: expect.stringMatching(/operator/) });
      await client.request('mode.set', { mode: 'FULL_AUTO', operator: true });
      // Bad signals still take the ring's path: one terminal report each, with the reason.
      const unknownSymbol = (await client.request('signal.submit', { symbol: 'NOPE/USDT', action: 'BUY', size: 1, price: 1 })) as { clientOrderId: number };
      const unknownAction = (await client.request('signal.submit', { symbol: 'BTC/USDT', action: 99, size: 1, price: 1 })) as { clientOrderId: number };
      const cancel = (await client.request('signal.cancel', { symbol: 'BTC/USDT', clientOrderId: 999_999_999 })) as { clientOrderId: number };
      await until(() => reports.filter((r) => r.terminal).length === 3, 5000, 'three terminal reports');
      expect(reports.map((r) => [r.clientOrderId, r.reason])).toEqual([
        [unknownSymbol.clientOrderId, 'UNKNOWN_SYMBOL'], [unknownAction.clientOrderId, 'UNKNOWN_ACTION'], [cancel.clientOrderId, 'UNKNOWN_ORDER'],
      ]);
      expect(reports[0]!.symbol).toBe('NOPE/USDT'); // as the peer named it
      // A request over the size limit closes that connection; the engine goes on answering.
      await raw.send(`{"v":1,"id":1,"cmd":"ping","pad":"${'x'.repeat(20_000)}"}`);
      const request = new Request({ linger: 0 });
      request.connect(ipcControl);
      await request.send('{"v":1,"id":"req","cmd":"ping"}');
      expect(JSON.parse((await request.receive())[0]!.toString())).toMatchObject({ id: 'req', ok: true });
      request.close();
      expect(engine.networkCounts?.control?.errors).toBeGreaterThanOrEqual(12);
      // Every network signal had its terminal report: none is left waiting, none leaks.
      expect(engine.networkCounts?.control?.openSignals).toBe(0);
      // On one box the file system keeps others out: the ipc socket files are owner-only.
      for (const endpoint of [ipcControl, ipcEvents]) expect(statSync(endpoint.slice('ipc://'.length)).mode & 0o777).toBe(0o600);
    } finally {
      await client.close();
      raw.close();
    }
  });

  it('serves an authorized CURVE key over tcp and gives an unknown key nothing', async () => {
    const refusedBefore = engine.networkCounts!.curve!.refused;
    const trusted = new ControlClient(tcpControl, { serverKeyFile: keys.server, keyFile: keys.client, timeoutMs: 5000 });
    const intruder = new ControlClient(tcpControl, { serverKeyFile: keys.server, keyFile: keys.intruder, timeoutMs: 700 });
    const plain = new Dealer({ linger: 0, receiveTimeout: 700, sendTimeout: 700 });
    plain.connect(tcpControl);
    const curveSubscriber = (keyFile: string): Subscriber => {
      const own = readKeyPair(keyFile);
      return new Subscriber({ linger: 0, curveServerKey: readPublicKey(keys.server), curvePublicKey: own.publicKey, curveSecretKey: own.secretKey });
    };
    const trustedEvents = curveSubscriber(keys.client);
    const intruderEvents = curveSubscriber(keys.intruder);
    try {
      for (const s of [trustedEvents, intruderEvents]) {
        s.connect(tcpEvents);
        s.subscribe('health');
      }
      const seen = collect(trustedEvents);
      const unseen = collect(intruderEvents);
      expect(await trusted.request('status')).toMatchObject({ mode: 'FULL_AUTO', network: { curve: { accepted: expect.any(Number) } } });
      await expect(intruder.request('status')).rejects.toMatchObject({ code: 'TIMEOUT' });
      // Without CURVE the handshake never completes: the message goes nowhere (or is not even taken), no reply comes.
      await plain.send('{"v":1,"id":1,"cmd":"ping"}').catch(() => undefined);
      await expect(plain.receive()).rejects.toMatchObject({ code: 'EAGAIN' });
      await until(() => seen.events.length >= 2, 5000, 'health over tcp');
      expect(unseen.events).toHaveLength(0);
      expect(engine.networkCounts!.curve!.refused).toBeGreaterThan(refusedBefore);
    } finally {
      await trusted.close();
      await intruder.close();
      plain.close();
      trustedEvents.close();
      intruderEvents.close();
    }
  });

  it('runs the cwts control commands against the engine, over ipc and over tcp with CURVE', async () => {
    const generated = await cwts(['keys', '--dir', join(dir, 'cli-keys'), '--name', 'ops']);
    expect(generated).toMatchObject({ code: 0, stdout: expect.stringMatching(/public key \S{40}/) });
    expect(statSync(join(dir, 'cli-keys', 'ops.key_secret')).mode & 0o777).toBe(0o600);
    expect((await cwts(['keys', '--dir', join(dir, 'cli-keys'), '--name', 'ops'])).code).toBe(1);
    const ipc = ['--endpoint', ipcControl];
    const tcp = ['--endpoint', tcpControl, '--server-key', keys.server, '--key', keys.client];
    expect(await cwts(['mode', 'SEMI_AUTO', '--reason', 'cli test', ...ipc])).toMatchObject({ code: 0, stdout: 'mode SEMI_AUTO\n' });
    expect(engine.mode).toBe('SEMI_AUTO');
    const status = await cwts(['status', '--json', ...tcp]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ mode: 'SEMI_AUTO', pid: process.pid, symbols: expect.any(Array) });
    expect((await cwts(['status', ...tcp])).stdout).toMatch(/engine pid \d+ .*mode SEMI_AUTO +kill released/);
    expect(JSON.parse((await cwts(['limit', '*', 'maxOrderSize', '2', ...ipc])).stdout)).toMatchObject({ strategies: { '*': { maxOrderSize: 2 } } });
    expect(await cwts(['kill', 'engage', '--reason', 'cli test', ...tcp])).toMatchObject({ code: 0, stdout: expect.stringMatching(/ENGAGED/) });
    expect(engine.killEngaged).toBe(true);
    expect((await cwts(['kill', 'release', ...ipc])).code).toBe(0);
    expect(engine.killEngaged).toBe(false);
    expect((await cwts(['reset-breakers', ...ipc])).code).toBe(0);
    expect((await cwts(['enable-strategy', '3', ...ipc])).stdout).toBe('strategy 3 enabled\n');
    // Refusals exit 1 with the engine's code; a bad command line exits 2 before anything is sent.
    expect(await cwts(['approve', '999', ...ipc])).toMatchObject({ code: 1, stderr: expect.stringMatching(/REFUSED: order 999 is not waiting/) });
    expect(await cwts(['limit', '1', 'maxLeverage', '3', ...ipc])).toMatchObject({ code: 1, stderr: expect.stringMatching(/INVALID_ARGUMENT: unknown limit/) });
    expect(await cwts(['mode', 'TURBO', ...ipc])).toMatchObject({ code: 2, stderr: expect.stringMatching(/MODE must be one of/) });
    expect(await cwts(['status', '--endpoint', tcpControl])).toMatchObject({ code: 2, stderr: expect.stringMatching(/give the engine's public key file/) });
    expect(await cwts(['status', '--timeout', '0.5', '--endpoint', tcpControl, '--server-key', keys.server, '--key', keys.intruder])).toMatchObject({ code: 1, stderr: expect.stringMatching(/TIMEOUT/) });
    await cwts(['mode', 'FULL_AUTO', ...ipc]);
  });

  it('never lets a subscriber that does not read hold the engine: it loses messages, which its seq shows', async () => {
    const slow = new Subscriber({ linger: 0, receiveHighWaterMark: 5 });
    slow.connect(ipcEvents);
    slow.subscribe('book.');
    const fast = new Subscriber({ linger: 0 });
    fast.connect(ipcEvents);
    fast.subscribe('book.BTC/USDT');
    const { events } = collect(fast);
    const client = new ControlClient(ipcControl);
    try {
      await until(() => events.length > 0, 5000, 'first book')
      const updatesBefore = engine.state().symbols[0]!.updates;
      // The slow subscriber reads nothing for 2 s, while the engine keeps publishing.
      const started = Date.now();
      const pings: number[] = [];
      while (Date.now() - started < 2000) {
        const t = performance.now();
        await client.request('ping');
        pings.push(performance.now() - t);
        await sleep(20);
      }
      const updates = engine.state().symbols[0]!.updates - updatesBefore;
      // 2,000 updates/s over 5 symbols: BTC/USDT alone gets about 800 in 2 s.
      expect(updates).toBeGreaterThan(400);
      expect(Math.max(...pings)).toBeLessThan(500);
      const fastSeqs = events.map((e) => e.seq);
      expect(fastSeqs.at(-1)! - fastSeqs[0]! + 1).toBe(fastSeqs.length); // the fast one lost nothing
      // Now the slow one reads up to the book the fast one saw last: it got fewer than were published.
      const lastSeq = fastSeqs.at(-1)!;
      const btc: number[] = [];
      while ((btc.at(-1) ?? 0) < lastSeq) {
        const [topic, body] = await slow.receive();
        if (topic!.toString() === 'book.BTC/USDT') btc.push((JSON.parse(body!.toString()) as EventEnvelope).seq);
      }
      const lost = btc.at(-1)! - btc[0]! + 1 - btc.length;
      expect(lost).toBeGreaterThan(0);
    } finally {
      await client.close();
      slow.close();
      fast.close();
    }
  });
});
