/**
 * Turns the declarative spec into concrete offsets, and checks it: natural alignment,
 * declared struct sizes, page-aligned regions. The generators and the runtime both read
 * the result, so they cannot disagree.
 */
import { createHash } from 'node:crypto';
import type { FieldSpec, LayoutSpec, RegionSpec, ScalarType, StructSpec } from './spec.js';

export const SCALAR_BYTES: Readonly<Record<ScalarType, number>> = { u8: 1, u32: 4, i32: 4, u64: 8, f64: 8 };

export interface ComputedField extends FieldSpec {
  readonly offset: number;
  /** Bytes of the whole field (element size x length). */
  readonly bytes: number;
}

export interface ComputedStruct extends Omit<StructSpec, 'fields'> {
  readonly fields: readonly ComputedField[];
  /** Bytes the generators pad after the last field to reach `size`. */
  readonly tailPadding: number;
}

export interface ComputedRegion extends RegionSpec {
  readonly offset: number;
  /** Bytes of the struct array, before page rounding. */
  readonly bytes: number;
  /** Bytes reserved, rounded up to a whole page. */
  readonly reserved: number;
  readonly stride: number;
  readonly count: number;
}

export interface ComputedLayout {
  readonly spec: LayoutSpec;
  readonly structs: ReadonlyMap<string, ComputedStruct>;
  readonly regions: readonly ComputedRegion[];
  readonly totalSize: number;
  /** Offset of the first strategy-writable region: strategies map [0, this) read-only. */
  readonly sharedOffset: number;
  readonly magic: bigint;
  readonly hash: bigint;
  readonly hashHex: string;
}

export class LayoutError extends Error {
  override name = 'LayoutError';
}

function computeStruct(struct: StructSpec): ComputedStruct {
  let offset = 0;
  const fields = struct.fields.map((field): ComputedField => {
    const size = SCALAR_BYTES[field.type];
    if (offset % size !== 0) {
      throw new LayoutError(`${struct.name}.${field.name} at offset ${offset} is not aligned to ${size} bytes`);
    }
    const bytes = size * (field.length ?? 1);
    const computed = { ...field, offset, bytes };
    offset += bytes;
    return computed;
  });
  if (offset > struct.size) {
    throw new LayoutError(`${struct.name} fields take ${offset} bytes, more than its declared ${struct.size}`);
  }
  if (struct.size % 8 !== 0) throw new LayoutError(`${struct.name} size ${struct.size} is not a multiple of 8`);
  return { ...struct, fields, tailPadding: struct.size - offset };
}

function roundUp(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

/** The hash covers everything that gives a byte its meaning; doc strings are left out. */
function hashSpec(spec: LayoutSpec): Buffer {
  const canonical = JSON.stringify(spec, (key, value: unknown) => (key === 'doc' ? undefined : value));
  return createHash('sha256').update(canonical).digest();
}

export function magicValue(magic: string): bigint {
  const bytes = Buffer.from(magic, 'ascii');
  if (bytes.length !== 8) throw new LayoutError(`magic must be 8 ASCII bytes, got ${JSON.stringify(magic)}`);
  return bytes.readBigUInt64LE(0);
}

export function computeLayout(spec: LayoutSpec): ComputedLayout {
  const structs = new Map(spec.structs.map((s) => [s.name, computeStruct(s)]));
  let offset = 0;
  let sharedOffset = -1;
  const regions = spec.regions.map((region): ComputedRegion => {
    const struct = structs.get(region.struct);
    if (!struct) throw new LayoutError(`region ${region.name} names unknown struct ${region.struct}`);
    if (region.access === 'shared' && sharedOffset < 0) sharedOffset = offset;
    if (region.access === 'engine' && sharedOffset >= 0) {
      throw new LayoutError(`engine region ${region.name} comes after a shared region; strategies map one read-only prefix`);
    }
    const count = region.dims.reduce((a, b) => a * b, 1);
    const bytes = count * struct.size;
    const reserved = roundUp(bytes, spec.pageSize);
    const computed = { ...region, offset, bytes, reserved, stride: struct.size, count };
    offset += reserved;
    return computed;
  });
  const hash = hashSpec(spec).readBigUInt64LE(0);
  return {
    spec,
    structs,
    regions,
    totalSize: offset,
    sharedOffset: sharedOffset < 0 ? offset : sharedOffset,
    magic: magicValue(spec.magic),
    hash,
    hashHex: `0x${hash.toString(16).padStart(16, '0')}`,
  };
}

export function regionOf(layout: ComputedLayout, name: string): ComputedRegion {
  const region = layout.regions.find((r) => r.name === name);
  if (!region) throw new LayoutError(`no region ${name}`);
  return region;
}

export function structOf(layout: ComputedLayout, name: string): ComputedStruct {
  const struct = layout.structs.get(name);
  if (!struct) throw new LayoutError(`no struct ${name}`);
  return struct;
}
