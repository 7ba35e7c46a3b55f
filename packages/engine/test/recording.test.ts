import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayFeed, RecordingWriter, type ReplayFeedConfig } from '../src/feeds/recording.js';
import { SimulatedFeed } from '../src/feeds/simulated-feed.js';
import type { MarketEvent } from '../src/market/events.js';

/** Events without the receive time, which a replay stamps anew. */
function content(events: readonly MarketEvent[]): unknown[] {
  return events.map((e) => (e.type === 'status' ? e : { ...e, receiveTsNs: undefined }));
}

async function take(feed: SimulatedFeed | ReplayFeed, n = Infinity): Promise<MarketEvent[]> {
  const out: MarketEvent[] = [];
  for await (const event of feed.events()) {
    out.push(event);
    if (out.length >= n) break;
  }
  return out;
}

const replay = (path: string, speed: ReplayFeedConfig['speed'] = 'max'): Promise<ReplayFeed> => ReplayFeed.open({ type: 'replay', name: 'replay', path, speed });

describe('record and replay', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-rec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function record(n: number): Promise<{ path: string; recorded: MarketEvent[] }> {
    const sim = SimulatedFeed.open({ type: 'simulated', name: 'sim', seed: 5, eventsPerSecond: 'max', depth: 50, startTimeMs: Date.UTC(2026, 0, 1) });
    const path = join(dir, 'session.cwtsrec');
    const writer = new RecordingWriter(path, [sim]);
    const recorded = await take(sim, n);
    for (const event of recorded) writer.write(event);
    await writer.close();
    await sim.close();
    return { path, recorded };
  }

  it('replays exactly what was recorded, the same way twice, in a file much smaller than JSON', async () => {
    const { path, recorded } = await record(20_000);
    const first = await take(await replay(path));
    const second = await take(await replay(path));
    // The replay says it is live first; everything after is the recording, in order.
    expect(first[0]).toEqual({ type: 'status', feed: 'replay', state: 'live' });
    expect(content(first.slice(1))).toEqual(content(recorded.map((e) => (e.type === 'status' ? { ...e, feed: 'replay' } : e))));
    expect(content(second)).toEqual(content(first));
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
    expect(size).toBeLessThan(JSON.stringify(recorded).length / 5);
  });

  it('paces a replay on the recorded receive times at the speed asked', async () => {
    const path = join(dir, 'paced.cwtsrec');
    const writer = new RecordingWriter(path, [{ name: 'x', symbols: ['A/B'] }]);
    for (let i = 0; i < 5; i++) writer.write({ type: 'trade', symbol: 'A/B', exchangeTsMs: i, receiveTsNs: i * 100e6, id: String(i), price: 1, size: 1, side: 'buy' });
    await writer.close();
    let started = performance.now();
    await take(await replay(path, 'recorded'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    started = performance.now();
    await take(await replay(path, 4));
    const fast = performance.now() - started;
    expect(fast).toBeGreaterThanOrEqual(95);
    expect(fast).toBeLessThan(390);
  });

  it('refuses what is not a recording, naming the file and the reason', async () => {
    const missing = join(dir, 'missing.cwtsrec');
    await expect(replay(missing)).rejects.toThrow(/missing\.cwtsrec.*(ENOENT|no such file)/);
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'hello');
    await expect(replay(plain)).rejects.toThrow(/plain\.txt is not a cwts recording/);
    const foreign = join(dir, 'foreign.gz');
    writeFileSync(foreign, gzipSync('{"format":"other","version":1}\n'));
    await expect(replay(foreign)).rejects.toThrow(/format "other", expected "cwts-recording"/);
    const newer = join(dir, 'newer.gz');
    writeFileSync(newer, gzipSync('{"format":"cwts-recording","version":9,"symbols":[]}\n'));
    await expect(replay(newer)).rejects.toThrow(/version 9; this engine reads version 1/);
  });

  it('fails a damaged line with its number, after replaying the good ones', async () => {
    const path = join(dir, 'damaged.gz');
    writeFileSync(path, gzipSync('{"format":"cwts-recording","version":1,"symbols":["A/B"],"feeds":[]}\n["k",0,1,0,5,6]\n["t",0,1\n'));
    const feed = await replay(path);
    const seen: MarketEvent[] = [];
    await expect(async () => {
      for await (const event of feed.events()) seen.push(event);
    }).rejects.toThrow(/damaged\.gz line 3: not JSON/);
    expect(seen.map((e) => e.type)).toEqual(['status', 'ticker']);
    const unknownSymbol = join(dir, 'unknown.gz');
    writeFileSync(unknownSymbol, gzipSync('{"format":"cwts-recording","version":1,"symbols":["A/B"],"feeds":[]}\n["k",4,1,0,5,6]\n'));
    await expect(take(await replay(unknownSymbol))).rejects.toThrow(/line 2: symbol index 4 is not in the header/);
  });
});
