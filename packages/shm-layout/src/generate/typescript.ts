/** Emits `src/generated/layout.ts`: constants, enums, region table and one accessor class per struct. */
import type { ComputedField, ComputedLayout, ComputedRegion, ComputedStruct } from '../layout.js';
import { GENERATED_BANNER, camel, lowerSnake } from './naming.js';

function accessor(struct: ComputedStruct, field: ComputedField): string[] {
  const name = camel(field.name);
  const at = `this.base + ${field.offset}`;
  const doc = `  /** ${field.doc} */`;
  if (field.text) {
    return [
      doc,
      `  get ${name}(): string { return this.views.readText(${at}, ${field.length}); }`,
      `  set ${name}(value: string) { this.views.writeText(${at}, ${field.length}, value, '${struct.name}.${field.name}'); }`,
    ];
  }
  if (field.type === 'u64' && field.atomic) {
    return [
      doc,
      `  get ${name}(): bigint { return this.views.loadU64Atomic(${at}); }`,
      `  set ${name}(value: bigint) { this.views.storeU64Atomic(${at}, value); }`,
      `  get ${name}Index(): number { return (${at}) >>> 3; }`,
    ];
  }
  if (field.type === 'u64') {
    return [
      doc,
      `  get ${name}(): number { return this.views.readU64(${at}); }`,
      `  set ${name}(value: number) { this.views.writeU64(${at}, value); }`,
    ];
  }
  if (field.type === 'f64') {
    return [
      doc,
      `  get ${name}(): number { return this.views.f64[(${at}) >>> 3]!; }`,
      `  set ${name}(value: number) { this.views.f64[(${at}) >>> 3] = value; }`,
    ];
  }
  if (field.type === 'u32' && field.atomic) {
    return [
      doc,
      `  get ${name}(): number { return Atomics.load(this.views.u32, (${at}) >>> 2); }`,
      `  set ${name}(value: number) { Atomics.store(this.views.u32, (${at}) >>> 2, value); }`,
      `  /** Index of ${field.name} in the u32 view, for Atomics and futex calls. */`,
      `  get ${name}Index(): number { return (${at}) >>> 2; }`,
    ];
  }
  if (field.type === 'u32') {
    return [
      doc,
      `  get ${name}(): number { return this.views.u32[(${at}) >>> 2]!; }`,
      `  set ${name}(value: number) { this.views.u32[(${at}) >>> 2] = value; }`,
    ];
  }
  throw new Error(`no TS accessor for ${struct.name}.${field.name} (${field.type})`);
}

function structClass(struct: ComputedStruct): string[] {
  const fields = struct.fields.filter((f) => !f.padding);
  const offsets = fields.map((f) => `  ${f.name}: ${f.offset},`);
  return [
    `/** Byte offsets of ${struct.name}'s fields. */`,
    `export const ${struct.name}Offsets = {`,
    ...offsets,
    '} as const;',
    '',
    `/** ${struct.doc}. Point it with \`at(byteOffset)\`; one view can walk many structs. */`,
    `export class ${struct.name}View {`,
    `  static readonly size = ${struct.size};`,
    '  base = 0;',
    '  constructor(readonly views: SegmentViews) {}',
    '  at(byteOffset: number): this {',
    '    this.base = byteOffset;',
    '    return this;',
    '  }',
    ...fields.flatMap((f) => accessor(struct, f)),
    '}',
    '',
  ];
}

function regionOffsetFn(region: ComputedRegion): string[] {
  const fn = `${camel(region.name)}Offset`;
  const params = region.dims.map((_, i) => `i${i}: number`);
  // Row-major: the flat index of [i0][i1] is i0 * dims[1] + i1.
  const flat = region.dims.reduce<string>((acc, dim, i) => (i === 0 ? 'i0' : `(${acc}) * ${dim} + i${i}`), '');
  const body = region.count === 1 ? `${region.offset}` : `${region.offset} + (${flat}) * ${region.stride}`;
  const args = region.count === 1 ? '' : params.join(', ');
  return [`/** Byte offset of ${region.name}${region.count === 1 ? '' : region.dims.map((_, i) => `[i${i}]`).join('')}. */`,
    `export function ${fn}(${args}): number {`, `  return ${body};`, '}', ''];
}

export function generateTypeScript(layout: ComputedLayout): string {
  const { spec } = layout;
  const lines = [
    `// ${GENERATED_BANNER}`,
    "import { SegmentViews } from '../views.js';",
    '',
    `export const LAYOUT_VERSION = ${spec.version};`,
    `export const LAYOUT_HASH = ${layout.hashHex}n;`,
    `/** "${spec.magic}" read as a little-endian u64. */`,
    `export const MAGIC = 0x${layout.magic.toString(16)}n;`,
    `export const PAGE_SIZE = ${spec.pageSize};`,
    `export const SEGMENT_SIZE = ${layout.totalSize};`,
    '/** Strategies map [0, SHARED_OFFSET) read-only and the rest read-write. */',
    `export const SHARED_OFFSET = ${layout.sharedOffset};`,
    ...spec.constants.map((c) => `/** ${c.doc} */\nexport const ${c.name} = ${c.value};`),
    '',
  ];
  for (const e of spec.enums) {
    lines.push(`/** ${e.doc} */`, `export const ${e.name} = {`);
    lines.push(...e.members.map((m) => `  /** ${m.doc} */\n  ${m.name}: ${m.value},`), '} as const;');
    lines.push(`export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];`, '');
  }
  lines.push(
    'export interface RegionInfo {',
    '  readonly offset: number;',
    '  readonly stride: number;',
    '  readonly count: number;',
    '  readonly dims: readonly number[];',
    "  readonly access: 'engine' | 'shared';",
    '}',
    '',
    'export const Region = {',
  );
  for (const r of layout.regions) {
    lines.push(`  ${camel(r.name)}: { offset: ${r.offset}, stride: ${r.stride}, count: ${r.count}, dims: [${r.dims.join(', ')}], access: '${r.access}' },`);
  }
  lines.push('} as const satisfies Record<string, RegionInfo>;', '');
  for (const r of layout.regions) lines.push(...regionOffsetFn(r));
  for (const s of layout.structs.values()) lines.push(...structClass(s));
  lines.push(
    '/** One accessor per struct over the same views. */',
    'export class SegmentAccessors {',
    '  readonly views: SegmentViews;',
    ...[...layout.structs.values()].map((s) => `  readonly ${camel(lowerSnake(s.name))}: ${s.name}View;`),
    '  constructor(buffer: ArrayBuffer) {',
    '    this.views = new SegmentViews(buffer);',
    ...[...layout.structs.values()].map((s) => `    this.${camel(lowerSnake(s.name))} = new ${s.name}View(this.views);`),
    '  }',
    '}',
    '',
  );
  return lines.join('\n');
}
