// A JSON parser that keeps integer literals exact at chosen paths. `JSON.parse` turns
// 1627581697287520263 into 1627581697287520256 and its reviver cannot see the source text on
// Node 20, so frames that carry a 64-bit id as a bare number take this slower path.

/** A path into a document: object keys, and `'*'` for any array index. */
export type ExactPath = readonly string[];

/**
 * Parses `text` like `JSON.parse`, except that an integer literal found at one of `paths` is
 * returned as its exact source text (a string). Throws `SyntaxError` on invalid JSON.
 */
export function parseJsonExact(text: string, paths: readonly ExactPath[]): unknown {
  const parser = new ExactParser(text, paths);
  parser.skipWhitespace();
  const value = parser.value([]);
  parser.skipWhitespace();
  if (parser.pos !== text.length) parser.fail('unexpected text after the JSON value');
  return value;
}

const INTEGER = /^-?\d+$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /[^"\\\u0000-\u001f]*/y;

class ExactParser {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly paths: readonly ExactPath[],
  ) {}

  fail(problem: string): never {
    throw new SyntaxError(`${problem} at position ${this.pos}`);
  }

  skipWhitespace(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  value(path: string[]): unknown {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(path);
      case '[':
        return this.array(path);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number(path);
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('unexpected token');
    this.pos += word.length;
    return value;
  }

  private number(path: string[]): number | string {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('unexpected token');
    this.pos += match[0].length;
    const literal = match[0];
    if (INTEGER.test(literal) && this.isExactPath(path)) return literal;
    return Number(literal);
  }

  private string(): string {
    const { text } = this;
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      STRING_BODY.lastIndex = this.pos;
      const run = STRING_BODY.exec(text);
      if (run) {
        out += run[0];
        this.pos += run[0].length;
      }
      const c = text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c !== '\\') this.fail(c === undefined ? 'unterminated string' : 'control character in string');
      const escape = text[this.pos + 1];
      this.pos += 2;
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = text.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad unicode escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 2;
          this.fail('bad escape');
      }
    }
  }

  private array(path: string[]): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.value([...path, '*']));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private object(path: string[]): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('expected a property name');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      this.skipWhitespace();
      // defineProperty, as JSON.parse does: a `__proto__` key stays an own data property.
      Object.defineProperty(out, key, {
        value: this.value([...path, key]),
        writable: true,
        enumerable: true,
        configurable: true,
      });
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  private isExactPath(path: readonly string[]): boolean {
    return this.paths.some(
      (target) => target.length === path.length && target.every((key, i) => key === path[i]),
    );
  }
}
