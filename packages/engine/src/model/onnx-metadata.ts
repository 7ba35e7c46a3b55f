/**
 * Reads a model's `metadata_props` (ModelProto field 14: key/value string pairs) straight
 * from the ONNX protobuf bytes. onnxruntime-node does not expose them, and they are where
 * a model declares the feature columns it was trained on (`cwts.features`).
 */

const METADATA_PROPS = 14;
const WIRE_VARINT = 0;
const WIRE_64 = 1;
const WIRE_LENGTH = 2;
const WIRE_32 = 5;

class ProtoReader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array, private readonly end = bytes.length) {}

  get done(): boolean {
    return this.offset >= this.end;
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.offset >= this.end) throw new RangeError('a varint runs past the end of the message');
      const byte = this.bytes[this.offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new RangeError('a varint longer than 10 bytes');
  }

  /** The next field as [field number, wire type]. */
  tag(): [number, number] {
    const tag = this.varint();
    return [Math.floor(tag / 8), tag & 7];
  }

  bytesField(): Uint8Array {
    const length = this.varint();
    if (this.offset + length > this.end) throw new RangeError('a field runs past the end of the message');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.varint();
    else if (wireType === WIRE_64) this.offset += 8;
    else if (wireType === WIRE_LENGTH) this.bytesField();
    else if (wireType === WIRE_32) this.offset += 4;
    else throw new RangeError(`wire type ${wireType} is not one ONNX uses`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The model's metadata_props as a map; throws a RangeError for bytes that are not a protobuf. */
export function readOnnxMetadata(model: Uint8Array): Map<string, string> {
  const props = new Map<string, string>();
  const reader = new ProtoReader(model);
  while (!reader.done) {
    const [field, wireType] = reader.tag();
    if (field !== METADATA_PROPS || wireType !== WIRE_LENGTH) {
      reader.skip(wireType);
      continue;
    }
    const entry = new ProtoReader(reader.bytesField());
    let key = '';
    let value = '';
    while (!entry.done) {
      const [f, w] = entry.tag();
      if (f === 1 && w === WIRE_LENGTH) key = utf8.decode(entry.bytesField());
      else if (f === 2 && w === WIRE_LENGTH) value = utf8.decode(entry.bytesField());
      else entry.skip(w);
    }
    props.set(key, value);
  }
  return props;
}
