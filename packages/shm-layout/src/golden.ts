/**
 * Golden vectors: a segment image with known content (golden/segment-v1.json), written
 * through the generated TS accessors, plus a flat list of expected values for the C reader.
 * Every field of every struct a record names must be in the JSON, so nothing goes unchecked.
 */
import { computeLayout, type ComputedStruct } from './layout.js';
import { layoutSpec } from './spec.js';
import { SegmentViews } from './views.js';
import { formatSegment } from './format.js';
import {
  HeaderView,
  LAYOUT_HASH,
  MAGIC,
  PositionSlotView,
  ReportRingControlView,
  ReportSlotView,
  SEGMENT_SIZE,
  SignalRingControlView,
  SymbolSlotView,
  asksOffset,
  bidsOffset,
  headerOffset,
  positionsOffset,
  reportControlOffset,
  reportsOffset,
  signalControlOffset,
  symbolsOffset,
} from './generated/layout.js';
import { camel } from './generate/naming.js';

type Json = Record<string, unknown>;

export interface GoldenContent {
  readonly header: Json;
  readonly symbols: readonly (Json & { index: number; bids: number[][]; asks: number[][] })[];
  readonly reports: readonly (Json & { position: number })[];
  readonly report_write_position: number;
  readonly positions: readonly (Json & { row: number; symbol_index: number })[];
  readonly next_client_order_id: number;
  readonly signals: readonly Json[];
}

const layout = computeLayout(layoutSpec);
const structOf = (name: string): ComputedStruct => layout.structs.get(name)!;

/** Keys of a JSON record that are not fields of its struct. */
const PLACEMENT_KEYS = new Set(['index', 'row', 'bids', 'asks']);

/** Writes each field a record names into a view; the record must name every field but seq. */
function writeRecord(view: object, struct: ComputedStruct, record: Json, what: string, optional: readonly string[] = []): void {
  for (const field of struct.fields) {
    if (field.padding || field.name === 'seq' || optional.includes(field.name)) continue;
    if (!(field.name in record)) throw new Error(`golden ${what} lacks field ${field.name}`);
  }
  for (const [key, value] of Object.entries(record)) {
    if (PLACEMENT_KEYS.has(key)) continue;
    const field = struct.fields.find((f) => f.name === key);
    if (!field) throw new Error(`golden ${what} names ${key}, which ${struct.name} does not have`);
    // JSON numbers are doubles here but exact integers in C and Python: only exact values make vectors.
    if (field.type === 'u64' && BigInt(value as number) !== BigInt(String(value))) {
      throw new Error(`golden ${what}.${key} = ${String(value)} is not exact as a double; pick another value`);
    }
    (view as Record<string, unknown>)[camel(key)] = field.type === 'u64' && field.atomic ? BigInt(value as number) : value;
  }
}

function writeLevels(views: SegmentViews, firstIndex: number, levels: readonly number[][]): void {
  levels.forEach(([price, volume], j) => {
    views.f64[firstIndex + 2 * j] = price!;
    views.f64[firstIndex + 2 * j + 1] = volume!;
  });
}

export function goldenImage(content: GoldenContent): Uint8Array {
  const views = new SegmentViews(new ArrayBuffer(SEGMENT_SIZE));
  formatSegment(views, { enginePid: 0, createdNs: 0, heartbeatNs: 0n });
  writeRecord(new HeaderView(views).at(headerOffset()), structOf('Header'), content.header, 'header', ['magic', 'layout_hash']);
  const slot = new SymbolSlotView(views);
  for (const symbol of content.symbols) {
    writeRecord(slot.at(symbolsOffset(symbol.index)), structOf('SymbolSlot'), symbol, `symbol ${symbol.index}`, ['bid_depth', 'ask_depth']);
    slot.bidDepth = symbol.bids.length;
    slot.askDepth = symbol.asks.length;
    writeLevels(views, bidsOffset(symbol.index, 0) >>> 3, symbol.bids);
    writeLevels(views, asksOffset(symbol.index, 0) >>> 3, symbol.asks);
  }
  const report = new ReportSlotView(views);
  for (const r of content.reports) writeRecord(report.at(reportsOffset(r.position)), structOf('ReportSlot'), r, `report ${r.position}`);
  new ReportRingControlView(views).at(reportControlOffset()).writePosition = content.report_write_position;
  const position = new PositionSlotView(views);
  for (const p of content.positions) {
    writeRecord(position.at(positionsOffset(p.row, p.symbol_index)), structOf('PositionSlot'), p, `position ${p.row}/${p.symbol_index}`);
  }
  new SignalRingControlView(views).at(signalControlOffset()).nextClientOrderId = BigInt(content.next_client_order_id);
  return views.u8;
}

function lines(prefix: string, struct: ComputedStruct, record: Json): string[] {
  return struct.fields
    .filter((f) => !f.padding && f.name in record)
    .map((f) => `${prefix}.${f.name} ${f.text ? 'text' : f.type} ${String(record[f.name])}`);
}

/** `path type value` lines, e.g. `symbols[0].bid f64 64999.5`, for the C golden reader. */
export function goldenExpected(content: GoldenContent): string {
  const out = [
    `header.magic u64 ${MAGIC}`,
    `header.layout_hash u64 ${LAYOUT_HASH}`,
    ...lines('header', structOf('Header'), content.header),
  ];
  for (const s of content.symbols) {
    out.push(...lines(`symbols[${s.index}]`, structOf('SymbolSlot'), s));
    out.push(`symbols[${s.index}].bid_depth u32 ${s.bids.length}`, `symbols[${s.index}].ask_depth u32 ${s.asks.length}`);
    for (const [side, levels] of [['bids', s.bids], ['asks', s.asks]] as const) {
      levels.forEach(([price, volume], j) => out.push(`${side}[${s.index}][${j}].price f64 ${price}`, `${side}[${s.index}][${j}].volume f64 ${volume}`));
    }
  }
  for (const r of content.reports) out.push(...lines(`reports[${r.position}]`, structOf('ReportSlot'), r));
  out.push(`report_control.write_position u32 ${content.report_write_position}`);
  for (const p of content.positions) out.push(...lines(`positions[${p.row}][${p.symbol_index}]`, structOf('PositionSlot'), p));
  out.push(`signal_control.next_client_order_id u64 ${content.next_client_order_id}`);
  return `${out.join('\n')}\n`;
}
