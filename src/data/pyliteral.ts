// A parser for the small subset of Python literals a .npy header holds:
//   {'descr': '<f4', 'fortran_order': False, 'shape': (10000, 28, 28), }
// Dicts, tuples, lists, strings, integers (Python 2's trailing L included), True/False/None.
// Anything else is a syntax error; nesting is capped so a hostile header cannot exhaust the stack.

export type PyValue = string | number | boolean | null | PyTuple | PyValue[] | PyDict;
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
export type PyDict = Map<string | number | boolean | null, PyValue>;

const MAX_DEPTH = 16;

export class PySyntaxError extends Error {}

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    throw new PySyntaxError(`${what} at character ${this.pos}`);
  }

  skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  peek(): string {
    this.skipSpace();
    return this.src[this.pos] ?? '';
  }

  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    const ch = this.peek();
    if (ch === '{') return this.dict(depth);
    if (ch === '(') {
      const { items, trailingComma } = this.sequence(')', depth);
      // (x) is just x in Python; (x,) and () are tuples.
      return items.length === 1 && !trailingComma ? items[0] : new PyTuple(items);
    }
    if (ch === '[') return this.sequence(']', depth).items;
    if (ch === "'" || ch === '"') return this.string();
    if (/[-+0-9]/.test(ch)) return this.integer();
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (this.src.startsWith(word, this.pos) && !/\w/.test(this.src[this.pos + word.length] ?? '')) {
        this.pos += word.length;
        return v;
      }
    }
    this.fail(ch ? `unexpected '${ch}'` : 'unexpected end of header');
  }

  sequence(close: string, depth: number): { items: PyValue[]; trailingComma: boolean } {
    this.pos++;
    const items: PyValue[] = [];
    let trailingComma = false;
    while (this.peek() !== close) {
      items.push(this.value(depth + 1));
      trailingComma = false;
      if (this.peek() === ',') {
        this.pos++;
        trailingComma = true;
      } else if (this.peek() !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.pos++;
    return { items, trailingComma };
  }

  dict(depth: number): PyDict {
    this.pos++;
    const d: PyDict = new Map();
    while (this.peek() !== '}') {
      const key = this.value(depth + 1);
      if (typeof key === 'object' && key !== null) this.fail('unhashable dict key');
      this.expect(':');
      d.set(key, this.value(depth + 1));
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') this.fail("expected ',' or '}'");
    }
    this.pos++;
    return d;
  }

  string(): string {
    const quote = this.src[this.pos++];
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail('unterminated string');
      const ch = this.src[this.pos++];
      if (ch === quote) return out;
      if (ch === '\n') this.fail('newline in string');
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.src[this.pos++] ?? '';
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };
      if (esc in simple) out += simple[esc];
      else if (esc === 'x' || esc === 'u') {
        const len = esc === 'x' ? 2 : 4;
        const hex = this.src.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail('bad escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += len;
      } else this.fail('unsupported escape');
    }
  }

  integer(): number {
    const m = /^[-+]?[0-9]+[lL]?/.exec(this.src.slice(this.pos, this.pos + 40));
    if (!m) this.fail('bad number');
    const text = m[0].replace(/[lL]$/, '');
    if (/[.eE]/.test(this.src[this.pos + m[0].length] ?? '')) this.fail('only integers are expected');
    this.pos += m[0].length;
    return Number(text); // beyond 2^53 this loses precision; callers reject such sizes anyway
  }
}

/** Parses one Python literal; PySyntaxError says what and where on failure. */
export function parsePyLiteral(src: string): PyValue {
  const p = new Parser(src);
  const v = p.value(0);
  if (p.peek() !== '') p.fail('unexpected text after the literal');
  return v;
}
