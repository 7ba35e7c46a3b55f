import { statSync, writeFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HeaderFlag, LAYOUT_HASH, MAGIC, SEGMENT_SIZE, SymbolSlotView, asksOffset, bidsOffset, symbolsOffset } from '@cwts/shm-layout';
import { MarketDataWriter, emptyBookUpdate } from '../src/market-data-writer.js';
import { Segment, SegmentError } from '../src/segment.js';

let n = 0;
const names: string[] = [];
function fresh(): string {
  const name = `cwts-test-seg-${process.pid}-${n++}`;
  names.push(name);
  return name;
}

afterEach(() => {
  for (const name of names.splice(0)) Segment.unlink(name);
});

describe('Segment', () => {
  it('creates /dev/shm/<name> of the spec size with mode 0600 and a valid header', () => {
    const name = fresh();
    const segment = Segment.create({ name });
    const stat = statSync(`/dev/shm/${name}`);
    expect(stat.size).toBe(SEGMENT_SIZE);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(segment.header.magic).toBe(MAGIC);
    expect(segment.header.layoutHash).toBe(LAYOUT_HASH);
    expect(segment.header.enginePid).toBe(process.pid);
    expect(segment.header.symbolCount).toBe(0);
  });

  it('honours a configured mode', () => {
    const name = fresh();
    Segment.create({ name, mode: 0o640 });
    expect(statSync(`/dev/shm/${name}`).mode & 0o777).toBe(0o640);
  });

  it('attaches and sees what the creator writes', () => {
    const name = fresh();
    const creator = Segment.create({ name });
    creator.setFlag(HeaderFlag.KILL_ENGAGED, true);
    const reader = Segment.attach(name);
    expect(reader.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(true);
    creator.setFlag(HeaderFlag.KILL_ENGAGED, false);
    expect(reader.hasFlag(HeaderFlag.KILL_ENGAGED)).toBe(false);
  });

  it('refuses a missing segment, naming the path and what to do', () => {
    expect(() => Segment.attach(`cwts-missing-${process.pid}`)).toThrow(/no segment \/dev\/shm\/cwts-missing-\d+: start the engine/);
  });

  it('refuses a segment of the wrong size', () => {
    const name = fresh();
    writeFileSync(`/dev/shm/${name}`, Buffer.alloc(4096));
    const error = (() => { try { Segment.attach(name); } catch (e) { return e as SegmentError; } return undefined; })();
    expect(error?.code).toBe('SIZE_MISMATCH');
    expect(error?.message).toMatch(/is 4096 bytes, layout v1 needs 724992/);
  });

  it('refuses a foreign magic and a stale layout hash, naming both values', () => {
    const name = fresh();
    const segment = Segment.create({ name });
    segment.header.layoutHash = 0x1234n;
    expect(() => Segment.attach(name)).toThrow(/hash 0x0000000000001234, this build reads v1 hash 0x[0-9a-f]{16}: rebuild/);
    segment.header.magic = 0x42n;
    expect(() => Segment.attach(name)).toThrow(/magic 0x0000000000000042, expected 0x[0-9a-f]{16} \("CWTS-SHM"\)/);
  });

  it('refuses to take over the segment of a live engine, replaces a dead one only when asked', () => {
    const name = fresh();
    const first = Segment.create({ name });
    first.header.enginePid = 1; // init: alive, and not us
    expect(() => Segment.create({ name, replace: true })).toThrow(/belongs to a running engine \(pid 1\)/);
    first.header.enginePid = 2 ** 22 + 12345; // beyond pid_max on this box: no such process
    expect(() => Segment.create({ name })).toThrow(/left by an engine that is gone/);
    expect(Segment.create({ name, replace: true }).header.enginePid).toBe(process.pid);
  });

  it('creates over a non-cwts object of the same name only with replace', () => {
    const name = fresh();
    writeFileSync(`/dev/shm/${name}`, 'not a segment');
    expect(() => Segment.create({ name })).toThrow(SegmentError);
    expect(Segment.create({ name, replace: true }).header.magic).toBe(MAGIC);
    rmSync(`/dev/shm/${name}`, { force: true });
  });

  it('keeps the heartbeat fresh and clears the alive flag on stop', async () => {
    const segment = Segment.create({ name: fresh() });
    const stop = segment.startHeartbeat(2);
    const first = segment.header.heartbeatNs;
    await new Promise((r) => setTimeout(r, 20));
    expect(segment.header.heartbeatNs).toBeGreaterThan(first);
    expect(segment.hasFlag(HeaderFlag.ENGINE_ALIVE)).toBe(true);
    stop();
    expect(segment.hasFlag(HeaderFlag.ENGINE_ALIVE)).toBe(false);
    expect(segment.hasFlag(HeaderFlag.STOPPED_CLEANLY)).toBe(true);
  });
});

describe('MarketDataWriter', () => {
  it('publishes slot and levels under an even seqlock and counts updates', () => {
    const segment = Segment.create({ name: fresh() });
    const writer = new MarketDataWriter(segment);
    writer.register(0, { name: 'BTC/USDT', venue: 'sim', tickSize: 0.5, lotSize: 0.001 });
    const update = emptyBookUpdate();
    Object.assign(update, { bid: 100, ask: 100.5, bidVolume: 2, askVolume: 3, last: 100.25, volume24h: 9, bidDepth: 2, askDepth: 1 });
    update.bids.set([100, 2, 99.5, 4]);
    update.asks.set([100.5, 3]);
    expect(writer.publish(0, update)).toBe(1);
    expect(writer.publish(0, update)).toBe(2);
    const slot = new SymbolSlotView(segment.accessors.views).at(symbolsOffset(0));
    expect(slot.seq % 2).toBe(0);
    expect(slot.seq).toBe(6); // register + two publishes, two increments each
    expect([slot.name, slot.venue, slot.bid, slot.ask, slot.updateCount, slot.bidDepth, slot.askDepth]).toEqual(['BTC/USDT', 'sim', 100, 100.5, 2, 2, 1]);
    const f64 = segment.accessors.views.f64;
    expect(Array.from(f64.subarray(bidsOffset(0, 0) >>> 3, (bidsOffset(0, 0) >>> 3) + 4))).toEqual([100, 2, 99.5, 4]);
    expect(Array.from(f64.subarray(asksOffset(0, 0) >>> 3, (asksOffset(0, 0) >>> 3) + 2))).toEqual([100.5, 3]);
    expect(segment.header.symbolCount).toBe(1);
    expect(slot.publishTsNs).toBeGreaterThan(0);
  });

  it('clips depths to 50 levels and refuses a symbol index out of range or a name too long', () => {
    const segment = Segment.create({ name: fresh() });
    const writer = new MarketDataWriter(segment);
    expect(() => writer.register(100, { name: 'X', venue: 'sim', tickSize: 1, lotSize: 1 })).toThrow(/symbol index 100 is outside 0..99/);
    expect(() => writer.register(0, { name: 'X'.repeat(40), venue: 'sim', tickSize: 1, lotSize: 1 })).toThrow(/SymbolSlot.name takes at most 31/);
    const update = emptyBookUpdate();
    update.bidDepth = 500;
    writer.publish(1, update);
    expect(new SymbolSlotView(segment.accessors.views).at(symbolsOffset(1)).bidDepth).toBe(50);
  });
});
