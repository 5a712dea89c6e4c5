import { describe, expect, it } from 'vitest';
import { inspectJson, withModel, withoutBom } from '../../../src/providers/client-call';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...parts: (string | readonly number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...utf8(part)] : [...part])));
const BOM = [0xef, 0xbb, 0xbf] as const;

describe('withModel: only the top-level "model" value changes, every other byte stays', () => {
  it.each<[string, Uint8Array, string, Uint8Array]>([
    ['a plain body', bytes('{"model":"gpt-a","input":"hi"}'), 'b', bytes('{"model":"b","input":"hi"}')],
    ['the model last, key order kept', bytes('{"input":"hi","stream":true,"model":"a"}'), 'b', bytes('{"input":"hi","stream":true,"model":"b"}')],
    ['whitespace kept', bytes('{\n  "model" :\t "a" ,\r\n  "input" : [ 1 , 2 ]\n}\n'), 'b', bytes('{\n  "model" :\t "b" ,\r\n  "input" : [ 1 , 2 ]\n}\n')],
    [
      'nested "model" keys untouched',
      bytes('{"input":{"model":"a"},"tools":[{"model":"a"},["model"]],"model":"a","metadata":{"x":{"model":"a"}}}'),
      'b',
      bytes('{"input":{"model":"a"},"tools":[{"model":"a"},["model"]],"model":"b","metadata":{"x":{"model":"a"}}}'),
    ],
    [
      '"model" inside a string value untouched',
      bytes('{"input":"\\"model\\":\\"a\\" {[","model":"a"}'),
      'b',
      bytes('{"input":"\\"model\\":\\"a\\" {[","model":"b"}'),
    ],
    ['escapes in the old value', bytes('{"model":"a\\"b\\\\c\\u00e9\\/","n":1}'), 'b', bytes('{"model":"b","n":1}')],
    ['an escaped key is still "model"', bytes('{"mod\\u0065l":"a"}'), 'b', bytes('{"mod\\u0065l":"b"}')],
    ['a new name that needs escapes', bytes('{"model":"a"}'), 'we"ird\\é/😀', bytes('{"model":"we\\"ird\\\\é/😀"}')],
    [
      'numbers kept as written',
      bytes('{"temperature":1.0,"n":1e5,"top_p":0.50,"seed":12345678901234567890,"x":-0,"model":"a","y":1E-7}'),
      'b',
      bytes('{"temperature":1.0,"n":1e5,"top_p":0.50,"seed":12345678901234567890,"x":-0,"model":"b","y":1E-7}'),
    ],
    [
      'invalid UTF-8 elsewhere kept byte for byte',
      bytes('{"input":"', [0xff, 0xfe, 0xc3], '","model":"a","x":"', [0xe2, 0x82], '"}'),
      'b',
      bytes('{"input":"', [0xff, 0xfe, 0xc3], '","model":"b","x":"', [0xe2, 0x82], '"}'),
    ],
    ['a leading BOM stripped', bytes(BOM, '{"model":"a"}'), 'b', bytes('{"model":"b"}')],
    [
      'every top-level "model" of a duplicated key renamed (parsers differ on which wins)',
      bytes('{"model":"a","model":"c"}'),
      'b',
      bytes('{"model":"b","model":"b"}'),
    ],
    ['no model: added first', bytes(' {"input":"hi"}'), 'b', bytes(' {"model":"b","input":"hi"}')],
    ['no model in an empty object', bytes('{ }'), 'b', bytes('{"model":"b" }')],
    ['true, false and null values skipped', bytes('{"a":true,"b":false,"c":null,"model":"a"}'), 'b', bytes('{"a":true,"b":false,"c":null,"model":"b"}')],
  ])('%s', (_case, body, model, expected) => {
    const out = withModel(body, model);
    expect([...out]).toEqual([...expected]);
    expect(inspectJson(out).model).toBe(model);
  });

  it('throws on a body that is not a JSON object (inspectJson refuses such bodies first)', () => {
    expect(() => withModel(utf8('[1]'), 'b')).toThrow(/JSON scan/);
    expect(() => withModel(utf8('{"model":"a"'), 'b')).toThrow(/JSON scan/);
  });
});

describe('withoutBom', () => {
  it('drops a leading UTF-8 BOM only', () => {
    expect([...withoutBom(bytes(BOM, '{}'))]).toEqual([...utf8('{}')]);
    expect([...withoutBom(utf8('{"x":"\uFEFF"}'))]).toEqual([...utf8('{"x":"\uFEFF"}')]);
    const plain = utf8('{}');
    expect(withoutBom(plain)).toBe(plain);
  });
});
