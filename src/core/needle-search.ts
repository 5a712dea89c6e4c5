/**
 * One search for a set of needles (needles.ts). Whether a text holds any is the hot path: a
 * plain alternation of literals for the needles matched as they are, and a second, small one for
 * the caseless needles (one search in any case for all needles cost three times as much per
 * character). Where each one is, with the whole form it begins, is found in one pass, by a
 * search made the first time a text holds a needle.
 */
import { escapeHint } from './json-escapes';
import { asciiLower, formAt, type Needle } from './needles';

const escaped = (needle: string): string => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A caseless needle as a pattern that finds it in any case, inside a search that is not. */
const anyCase = (needle: string): string => escaped(needle).replace(/[a-z]/gi, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`);

function alternation(needles: readonly Needle[], caseless: boolean): string | null {
  const starts = [...new Set(needles.filter((needle) => needle.caseless === caseless).map((needle) => needle.start))];
  return starts.length === 0 ? null : starts.map(escaped).join('|');
}

/** A needle found: where it begins, and where it (or the longest whole form it begins there) ends. */
export interface Found {
  readonly at: number;
  readonly end: number;
}

export class NeedleSearch {
  readonly #needles: readonly Needle[];
  readonly #exact: RegExp | null;
  readonly #caseless: RegExp | null;
  /** The JSON escapes that could stand for a character of a needle's form (json-escapes.ts). */
  readonly hint: RegExp;

  constructor(needles: readonly Needle[]) {
    this.#needles = needles;
    this.hint = escapeHint(needles.map((needle) => `${needle.start}${needle.whole ?? ''}`).join(''));
    const exact = alternation(needles, false);
    const caseless = alternation(needles, true);
    this.#exact = exact === null ? null : new RegExp(exact);
    this.#caseless = caseless === null ? null : new RegExp(caseless, 'i');
  }

  /** Whether the text holds any needle. */
  finds(text: string): boolean {
    return (this.#exact?.test(text) ?? false) || (this.#caseless?.test(text) ?? false);
  }

  /** Every needle at once, and the whole forms each start (lowered) may begin. */
  #all: { readonly everywhere: RegExp; readonly wholes: ReadonlyMap<string, readonly Needle[]> } | null = null;

  /** The first needle in the text at or after `from`; null when there is none. */
  next(text: string, from: number): Found | null {
    this.#all ??= {
      everywhere: new RegExp([...new Set(this.#needles.map((needle) => (needle.caseless ? anyCase(needle.start) : escaped(needle.start))))].join('|'), 'g'),
      wholes: this.#needles.reduce(
        (wholes, needle) => (needle.whole === null ? wholes : wholes.set(asciiLower(needle.start), [...(wholes.get(asciiLower(needle.start)) ?? []), needle])),
        new Map<string, Needle[]>(),
      ),
    };
    const { everywhere, wholes } = this.#all;
    everywhere.lastIndex = from;
    const match = everywhere.exec(text);
    if (match === null) return null;
    const at = match.index;
    let end = at + match[0].length;
    for (const { whole, caseless } of wholes.get(asciiLower(match[0])) ?? []) {
      if (whole !== null && formAt(text, at, whole, caseless)) end = Math.max(end, at + whole.length);
    }
    return { at, end };
  }
}
