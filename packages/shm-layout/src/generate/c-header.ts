/** Emits `cwts_shm.h`: C structs of layout v1 with a static_assert on every size and offset. */
import type { ComputedField, ComputedLayout, ComputedStruct } from '../layout.js';
import { GENERATED_BANNER, cStructName, upperSnake } from './naming.js';

const C_TYPE = { u8: 'uint8_t', u32: 'uint32_t', i32: 'int32_t', u64: 'uint64_t', f64: 'double' } as const;

function cField(field: ComputedField): string {
  const type = field.text ? 'char' : C_TYPE[field.type];
  const array = field.length === undefined ? '' : `[${field.length}]`;
  return `  ${type} ${field.name}${array}; /* @${field.offset}: ${field.doc} */`;
}

function cStruct(struct: ComputedStruct): string[] {
  const name = cStructName(struct.name);
  const lines = [`/* ${struct.doc} */`, `typedef struct ${name.replace(/_t$/, '')} {`, ...struct.fields.map(cField)];
  if (struct.tailPadding > 0) lines.push(`  uint8_t _tail[${struct.tailPadding}];`);
  lines.push(`} ${name};`);
  lines.push(`static_assert(sizeof(${name}) == ${struct.size}, "${struct.name} size");`);
  for (const field of struct.fields) {
    lines.push(`static_assert(offsetof(${name}, ${field.name}) == ${field.offset}, "${struct.name}.${field.name} offset");`);
  }
  return [...lines, ''];
}

function cSegment(layout: ComputedLayout): string[] {
  const lines = ['/* The whole segment; each region starts on a page boundary. */', 'typedef struct cwts_segment {'];
  for (const region of layout.regions) {
    const type = cStructName(region.struct);
    lines.push(`  ${type} ${region.name}${region.dims.map((d) => `[${d}]`).join('')}; /* @${region.offset}: ${region.doc} */`);
    if (region.reserved > region.bytes) lines.push(`  uint8_t _${region.name}_page_pad[${region.reserved - region.bytes}];`);
  }
  lines.push('} cwts_segment_t;');
  lines.push(`static_assert(sizeof(cwts_segment_t) == CWTS_SEGMENT_SIZE, "segment size");`);
  for (const region of layout.regions) {
    const macro = upperSnake(region.name);
    lines.push(`static_assert(offsetof(cwts_segment_t, ${region.name}) == CWTS_${macro}_OFFSET, "${region.name} offset");`);
    lines.push(`static_assert(CWTS_${macro}_OFFSET % CWTS_PAGE_SIZE == 0, "${region.name} page aligned");`);
  }
  return [...lines, ''];
}

export function generateCHeader(layout: ComputedLayout): string {
  const { spec } = layout;
  const lines = [
    `/* ${GENERATED_BANNER} */`,
    '#ifndef CWTS_SHM_H',
    '#define CWTS_SHM_H',
    '',
    '#include <assert.h>',
    '#include <stddef.h>',
    '#include <stdint.h>',
    '',
    `#define CWTS_MAGIC UINT64_C(0x${layout.magic.toString(16)}) /* "${spec.magic}" little-endian */`,
    `#define CWTS_LAYOUT_VERSION ${spec.version}u`,
    `#define CWTS_LAYOUT_HASH UINT64_C(${layout.hashHex})`,
    `#define CWTS_PAGE_SIZE ${spec.pageSize}u`,
    `#define CWTS_SEGMENT_SIZE ${layout.totalSize}u`,
    `#define CWTS_SHARED_OFFSET ${layout.sharedOffset}u /* strategies map [0, this) read-only */`,
    ...spec.constants.map((c) => `#define CWTS_${c.name} ${c.value}u /* ${c.doc} */`),
    '',
  ];
  for (const region of layout.regions) {
    const macro = `CWTS_${upperSnake(region.name)}`;
    lines.push(`#define ${macro}_OFFSET ${region.offset}u`, `#define ${macro}_STRIDE ${region.stride}u`);
  }
  lines.push('');
  for (const e of spec.enums) {
    const prefix = `CWTS_${upperSnake(e.name)}`;
    lines.push(`/* ${e.doc} */`, `enum cwts_${upperSnake(e.name).toLowerCase()} {`);
    lines.push(...e.members.map((m) => `  ${prefix}_${m.name} = ${m.value}, /* ${m.doc} */`), '};', '');
  }
  for (const struct of layout.structs.values()) lines.push(...cStruct(struct));
  lines.push(...cSegment(layout), '#endif /* CWTS_SHM_H */', '');
  return lines.join('\n');
}
