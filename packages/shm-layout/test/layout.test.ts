import { describe, expect, it } from 'vitest';
import { staleFiles } from '../src/generate/cli.js';
import { computeLayout, LayoutError, type LayoutSpec } from '../src/layout.js';
import { layoutSpec } from '../src/spec.js';
import * as generated from '../src/generated/layout.js';
import { SegmentViews } from '../src/views.js';

const layout = computeLayout(layoutSpec);

describe('layout v1', () => {
  it('has every generated file up to date with the spec (else: npm run generate)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('matches the sizes the design names', () => {
    const size = (name: string) => layout.structs.get(name)!.size;
    expect(size('Header')).toBe(64);
    expect(size('SymbolSlot')).toBe(512);
    expect(size('Level')).toBe(16);
    expect(size('SignalSlot')).toBe(128);
    const region = (name: string) => layout.regions.find((r) => r.name === name)!;
    expect(region('symbols').count).toBe(100);
    expect(region('bids').dims).toEqual([100, 50]);
    expect(region('asks').dims).toEqual([100, 50]);
    expect(region('signals').count).toBe(1000);
  });

  it('puts every region on a page boundary, in order, without overlap', () => {
    let end = 0;
    for (const region of layout.regions) {
      expect(region.offset % layoutSpec.pageSize).toBe(0);
      expect(region.offset).toBeGreaterThanOrEqual(end);
      end = region.offset + region.bytes;
    }
    expect(layout.totalSize).toBeGreaterThanOrEqual(end);
    expect(layout.totalSize % layoutSpec.pageSize).toBe(0);
  });

  it('maps only the signal ring read-write for strategies', () => {
    const shared = layout.regions.filter((r) => r.offset >= layout.sharedOffset).map((r) => r.name);
    expect(shared).toEqual(['signal_control', 'signals']);
    expect(generated.SHARED_OFFSET).toBe(layout.sharedOffset);
  });

  it('generated TS constants agree with the computed layout', () => {
    expect(generated.SEGMENT_SIZE).toBe(layout.totalSize);
    expect(generated.LAYOUT_HASH).toBe(layout.hash);
    expect(generated.bidsOffset(3, 7)).toBe(generated.Region.bids.offset + (3 * 50 + 7) * 16);
    expect(generated.positionsOffset(2, 5)).toBe(generated.Region.positions.offset + (2 * 100 + 5) * 64);
  });

  it('changes the hash when a byte changes meaning, not when a doc changes', () => {
    const renamed: LayoutSpec = { ...layoutSpec, structs: layoutSpec.structs.map((s) => (s.name === 'Level' ? { ...s, fields: [...s.fields].reverse() } : s)) };
    expect(computeLayout(renamed).hash).not.toBe(layout.hash);
    const redocumented: LayoutSpec = { ...layoutSpec, regions: layoutSpec.regions.map((r) => ({ ...r, doc: `${r.doc}!` })) };
    expect(computeLayout(redocumented).hash).toBe(layout.hash);
  });

  it('refuses a misaligned field, an oversized struct and an engine region after a shared one', () => {
    const misaligned: LayoutSpec = { ...layoutSpec, structs: [{ name: 'Bad', size: 16, doc: '', fields: [{ name: 'a', type: 'u32', doc: '' }, { name: 'b', type: 'f64', doc: '' }] }], regions: [] };
    expect(() => computeLayout(misaligned)).toThrow(/Bad\.b at offset 4 is not aligned/);
    const oversized: LayoutSpec = { ...layoutSpec, structs: [{ name: 'Big', size: 8, doc: '', fields: [{ name: 'a', type: 'f64', length: 2, doc: '' }] }], regions: [] };
    expect(() => computeLayout(oversized)).toThrow(LayoutError);
    const order: LayoutSpec = { ...layoutSpec, regions: [...layoutSpec.regions].reverse() };
    expect(() => computeLayout(order)).toThrow(/comes after a shared region/);
  });
});

describe('SegmentViews', () => {
  const views = new SegmentViews(new ArrayBuffer(4096));

  it('round-trips u64 values exactly below 2^53 and across the 32-bit boundary', () => {
    for (const v of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
      views.writeU64(8, v);
      expect(views.readU64(8)).toBe(v);
    }
  });

  it('refuses text that does not fit with its NUL, and embedded NULs', () => {
    views.writeText(64, 8, 'ÄB', 'x');
    expect(views.readText(64, 8)).toBe('ÄB');
    expect(() => views.writeText(64, 8, '12345678', 'Slot.name')).toThrow(/Slot.name takes at most 7 UTF-8 bytes, got 8/);
    expect(() => views.writeText(64, 8, 'a\0b', 'Slot.name')).toThrow(/NUL/);
  });
});
