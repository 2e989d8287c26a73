// An ONNX graph under construction and its encoding as a ModelProto (field numbers from onnx.proto).
import { Field, bytes, concat, float, int, ints, message, string } from './protobuf';

/** IR version 7 goes with opset 13, which has every operator the exporter emits. */
export const IR_VERSION = 7;
export const OPSET = 13;

const FLOAT = 1;
const INT64 = 7;

export type Attribute = number | number[] | { float: number };

export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, Attribute>;
}

export class Graph {
  private readonly nodes: Field[] = [];
  private readonly initializers: Field[] = [];
  private readonly names = new Set<string>();
  private count = 0;

  /** A fresh value name: `prefix`, or `prefix_2`, `prefix_3`, ... once it is taken. */
  fresh(prefix: string): string {
    let name = prefix;
    for (let k = 2; this.names.has(name); k++) name = `${prefix}_${k}`;
    this.names.add(name);
    return name;
  }

  /** A float32 constant of the given shape (row-major data). */
  constant(prefix: string, shape: readonly number[], data: Float32Array): string {
    if (data.length !== shape.reduce((a, b) => a * b, 1)) {
      throw new RangeError(`onnx: constant ${prefix} has ${data.length} values for shape [${shape}]`);
    }
    const name = this.fresh(prefix);
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.initializers.push(message(5, [ints(1, [...shape]), int(2, FLOAT), string(8, name), bytes(9, raw)]));
    return name;
  }

  /** An int64 vector constant (Reshape's target shape). */
  int64s(prefix: string, values: readonly number[]): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push(message(5, [ints(1, [values.length]), int(2, INT64), string(8, name), bytes(9, raw)]));
    return name;
  }

  /** Adds a node whose single output is a fresh name from `prefix`; returns that name. */
  op(op: string, inputs: string[], attributes?: Record<string, Attribute>, prefix = op.toLowerCase()): string {
    const out = this.fresh(prefix);
    this.node({ op, inputs, outputs: [out], attributes });
    return out;
  }

  node(n: Node): void {
    const attrs = Object.entries(n.attributes ?? {}).map(([name, v]) => message(5, attribute(name, v)));
    this.nodes.push(message(1, [
      ...n.inputs.map((i) => string(1, i)), ...n.outputs.map((o) => string(2, o)),
      string(3, `${n.op}_${++this.count}`), string(4, n.op), ...attrs,
    ]));
  }

  /** The ModelProto: this graph with one float32 input and one output, dims null for dynamic. */
  encode(o: {
    name: string; input: { name: string; shape: (number | string)[] }; output: { name: string; shape: (number | string)[] };
    producerVersion: string; metadata: Record<string, string>; doc?: string;
  }): Uint8Array {
    const graph = [
      ...this.nodes, string(2, o.name), ...this.initializers,
      ...(o.doc ? [string(10, o.doc)] : []),
      message(11, valueInfo(o.input.name, o.input.shape)), message(12, valueInfo(o.output.name, o.output.shape)),
    ];
    return concat([
      int(1, IR_VERSION), string(2, 'gemmnet'), string(3, o.producerVersion), message(7, graph),
      message(8, [string(1, ''), int(2, OPSET)]),
      ...Object.entries(o.metadata).map(([k, v]) => message(14, [string(1, k), string(2, v)])),
    ]);
  }
}

function attribute(name: string, v: Attribute): Field[] {
  // AttributeProto: name 1, f 2, i 3, floats 7, ints 8, type 20 (FLOAT 1, INT 2, INTS 7).
  if (typeof v === 'number') return [string(1, name), int(3, v), int(20, 2)];
  if (Array.isArray(v)) return [string(1, name), ints(8, v), int(20, 7)];
  return [string(1, name), float(2, v.float), int(20, 1)];
}

function valueInfo(name: string, shape: (number | string)[]): Field[] {
  // ValueInfoProto { name, type: TypeProto { tensor_type { elem_type, shape { dim { value | param } } } } }
  const dims = shape.map((d) => message(1, [typeof d === 'number' ? int(1, d) : string(2, d)]));
  return [string(1, name), message(2, [message(1, [int(1, FLOAT), message(2, dims)])])];
}
