// The few protobuf wire encodings ONNX needs: varints (wire type 0), 32-bit floats (5) and
// length-delimited bytes, strings and nested messages (2). A message is the concatenation of its
// fields, so every writer returns the encoded field and nesting is concatenation plus a length.

export type Field = Uint8Array;

function varint(value: number | bigint): number[] {
  // int64 fields encode negative values as their 64-bit two's complement (ten bytes).
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function key(field: number, wire: 0 | 2 | 5): number[] {
  return varint((field << 3) | wire);
}

/** An int32/int64/enum field. */
export function int(field: number, value: number | bigint): Field {
  return Uint8Array.from([...key(field, 0), ...varint(value)]);
}

/** A repeated integer field, one entry per value (proto2's unpacked form, which ONNX declares). */
export function ints(field: number, values: readonly number[]): Field {
  return concat(values.map((v) => int(field, v)));
}

export function float(field: number, value: number): Field {
  const out = new Uint8Array(key(field, 5).length + 4);
  const k = key(field, 5);
  out.set(k);
  new DataView(out.buffer).setFloat32(k.length, value, true);
  return out;
}

export function bytes(field: number, data: Uint8Array): Field {
  const head = [...key(field, 2), ...varint(data.length)];
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

export function string(field: number, text: string): Field {
  return bytes(field, new TextEncoder().encode(text));
}

/** A nested message made of the given fields. */
export function message(field: number, fields: readonly Field[]): Field {
  return bytes(field, concat(fields));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
