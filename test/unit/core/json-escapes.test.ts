import { describe, expect, it } from 'vitest';
import { escapeHint, escapeViews, unfinishedEscapeAt } from '../../../src/core/json-escapes';

describe('escapeHint: the escapes that could stand for a character of a secret', () => {
  const ascii = escapeHint('sk-proj-Ab3dEf6h');

  it.each([
    ['\\u0073k-proj', true, 'a letter'],
    ['\\u002B or \\u002b', true, "'+', as .NET writes it (either case of hex)"],
    ['a\\/b', true, "'/'"],
    ['line\\nbreak and \\"quotes\\" and \\\\ and \\t', false, 'escapes no key character is'],
    ['caf\\u00e9 \\u4e2d\\u6587', false, 'non-ASCII text, as a Python upstream escapes it'],
    ['no backslash at all', false, 'nothing'],
  ])('%s: %s (%s)', (text, expected) => {
    expect(ascii.test(text)).toBe(expected);
  });

  it('takes in the escapes of the characters a secret has beyond printable ASCII', () => {
    const hint = escapeHint('clé"secrète\\');
    expect(hint.test('cl\\u00e9')).toBe(true);
    expect(hint.test('a \\"quote\\"')).toBe(true);
    expect(hint.test('a \\\\ backslash')).toBe(true);
    expect(hint.test('\\u4e2d')).toBe(false);
  });
});

describe('escapeViews: a text as a JSON parser reads it, and where each character stood', () => {
  const hint = escapeHint('');

  it.each([
    ['\\u0073k-\\/x', 'sk-/x', [0, 6, 7, 8, 10, 11]],
    ['ab\\u0041cd', 'abAcd', [0, 1, 2, 8, 9, 10]],
    ['\\\\u0041', '\\u0041', [0, 2, 3, 4, 5, 6, 7]],
  ])('%s reads %s', (text, view, sent) => {
    const [first] = escapeViews(text, hint);
    expect(first?.text).toBe(view);
    expect(Array.from({ length: view.length + 1 }, (_, index) => first?.sentIndex(index))).toEqual(sent);
  });

  it('sees through escapes in a JSON string inside a JSON string (a tool call), each level mapped back to the text', () => {
    const views = escapeViews('{"k":"\\\\u0073k-x"}', hint);
    expect(views.map((view) => view.text)).toEqual(['{"k":"\\u0073k-x"}', '{"k":"sk-x"}']);
    const deepest = views[1];
    expect(deepest?.sentIndex(6)).toBe(6);
    expect(deepest?.sentIndex(7)).toBe(13);
  });

  it.each(['no escapes here', 'only \\n and \\"', 'caf\\u00e9'])('makes no view of %s', (text) => {
    expect(escapeViews(text, hint)).toEqual([]);
  });
});

describe('unfinishedEscapeAt: an escape cut short by the end', () => {
  it.each([
    ['key \\', 4],
    ['key \\u', 4],
    ['key \\u007', 4],
    ['key \\\\u00', 4],
    ['key \\u0073', 10],
    ['key', 3],
  ])('%s: %i', (text, expected) => {
    expect(unfinishedEscapeAt(text)).toBe(expected);
  });
});
