/**
 * Emits the Python side of the layout: `_layout.py` (constants, enums, struct formats for
 * the pure-Python fallback) and `_layout.pxd` (the C structs for the Cython shim).
 */
import type { ComputedField, ComputedLayout, ComputedStruct } from '../layout.js';
import { GENERATED_BANNER, cStructName, upperSnake } from './naming.js';

const STRUCT_CHAR = { u8: 'B', u32: 'I', i32: 'i', u64: 'Q', f64: 'd' } as const;
const CYTHON_TYPE = { u8: 'uint8_t', u32: 'uint32_t', i32: 'int32_t', u64: 'uint64_t', f64: 'double' } as const;

function formatOf(field: ComputedField): string {
  if (field.padding) return `${field.bytes}x`;
  if (field.text) return `${field.length}s`;
  return field.length === undefined ? STRUCT_CHAR[field.type] : `${field.length}${STRUCT_CHAR[field.type]}`;
}

function pyStruct(struct: ComputedStruct): string[] {
  const prefix = upperSnake(struct.name);
  const fields = struct.fields.filter((f) => !f.padding);
  const format = `<${struct.fields.map(formatOf).join('')}${struct.tailPadding ? `${struct.tailPadding}x` : ''}`;
  return [
    `# ${struct.doc}`,
    `${prefix}_SIZE = ${struct.size}`,
    `${prefix}_FIELDS: dict[str, Field] = {`,
    ...fields.map((f) => `    "${f.name}": Field(${f.offset}, "${formatOf(f)}"),  # ${f.doc}`),
    '}',
    `${prefix}_FORMAT = "${format}"`,
    `${prefix}_NAMES: tuple[str, ...] = (${fields.map((f) => `"${f.name}"`).join(', ')},)`,
    '',
  ];
}

export function generatePython(layout: ComputedLayout): string {
  const { spec } = layout;
  const lines = [
    `"""Layout v${spec.version} of the cwts segment. ${GENERATED_BANNER}"""`,
    '',
    'from enum import IntEnum, IntFlag',
    'from typing import NamedTuple',
    '',
    `LAYOUT_VERSION = ${spec.version}`,
    `LAYOUT_HASH = ${layout.hashHex}`,
    `MAGIC = 0x${layout.magic.toString(16)}  # "${spec.magic}" little-endian`,
    `PAGE_SIZE = ${spec.pageSize}`,
    `SEGMENT_SIZE = ${layout.totalSize}`,
    `SHARED_OFFSET = ${layout.sharedOffset}  # strategies map [0, this) read-only`,
    ...spec.constants.map((c) => `${c.name} = ${c.value}  # ${c.doc}`),
    '',
    '',
  ];
  for (const e of spec.enums) {
    lines.push(`class ${e.name}(${e.kind === 'flags' ? 'IntFlag' : 'IntEnum'}):`, `    """${e.doc}"""`, '');
    lines.push(...e.members.map((m) => `    ${m.name} = ${m.value}  # ${m.doc}`), '', '');
  }
  lines.push(
    'class Region(NamedTuple):',
    '    offset: int',
    '    stride: int',
    '    count: int',
    '    dims: tuple[int, ...]',
    '    access: str',
    '',
    '',
    'class Field(NamedTuple):',
    '    offset: int',
    '    format: str',
    '',
    '',
    'REGIONS: dict[str, Region] = {',
    ...layout.regions.map((r) => `    "${r.name}": Region(${r.offset}, ${r.stride}, ${r.count}, (${r.dims.join(', ')},), "${r.access}"),`),
    '}',
    '',
  );
  for (const s of layout.structs.values()) lines.push(...pyStruct(s));
  return lines.join('\n');
}

function pxdField(field: ComputedField): string {
  const type = field.text ? 'char' : CYTHON_TYPE[field.type];
  return `        ${type} ${field.name}${field.length === undefined ? '' : `[${field.length}]`}`;
}

export function generateCythonPxd(layout: ComputedLayout): string {
  const { spec } = layout;
  const lines = [
    `# ${GENERATED_BANNER}`,
    'from libc.stdint cimport uint8_t, uint32_t, int32_t, uint64_t',
    '',
    'cdef extern from "cwts_shm.h" nogil:',
    '    const uint64_t CWTS_MAGIC',
    '    const uint64_t CWTS_LAYOUT_HASH',
    '    enum:',
    '        CWTS_LAYOUT_VERSION',
    '        CWTS_PAGE_SIZE',
    '        CWTS_SEGMENT_SIZE',
    '        CWTS_SHARED_OFFSET',
    ...spec.constants.map((c) => `        CWTS_${c.name}`),
    ...layout.regions.flatMap((r) => [`        CWTS_${upperSnake(r.name)}_OFFSET`, `        CWTS_${upperSnake(r.name)}_STRIDE`]),
    ...spec.enums.flatMap((e) => e.members.map((m) => `        CWTS_${upperSnake(e.name)}_${m.name}`)),
    '',
  ];
  for (const s of layout.structs.values()) {
    lines.push(`    ctypedef struct ${cStructName(s.name)}:`, ...s.fields.filter((f) => !f.padding).map(pxdField), '');
  }
  lines.push('    ctypedef struct cwts_segment_t:');
  lines.push(...layout.regions.map((r) => `        ${cStructName(r.struct)} ${r.name}${r.dims.map((d) => `[${d}]`).join('')}`), '');
  return lines.join('\n');
}
