/**
 * F10: the municipal application's legacy address conversion. Its character table came from a
 * 2-byte encoding of the BMP, so anything that needs a surrogate pair, a variation selector, a
 * private-use slot or a compatibility ideograph has no place in it. The records do not name the
 * characters (CONTRACT.md 2.1 lists the assumed classes).
 */

export interface AddressExample {
  /** The contract's class this example stands for. */
  readonly kind: string;
  readonly text: string;
  /** The code point the legacy conversion names when it refuses the text. */
  readonly character: string;
}

// Escapes, not literals: an editor or a normaliser would silently fold U+FA19 into U+795E.
export const ADDRESS_EXAMPLES: readonly AddressExample[] = [
  { kind: 'JIS X 0213 plane 2', text: '\u{20BB7}', character: 'U+20BB7' },
  { kind: 'JIS X 0213 plane 2', text: '\u{2123D}', character: 'U+2123D' },
  { kind: 'JIS X 0213 plane 2', text: '\u{29E3D}', character: 'U+29E3D' },
  { kind: 'surrogate pair', text: '\u{2000B}', character: 'U+2000B' },
  { kind: 'ideographic variation selector', text: '\u845B\u{E0100}', character: 'U+E0100' },
  { kind: 'ideographic variation selector', text: '\u8FBB\u{E0100}', character: 'U+E0100' },
  { kind: 'private use', text: '\uE000', character: 'U+E000' },
  { kind: 'CJK compatibility ideograph', text: '\uFA11', character: 'U+FA11' },
  { kind: 'CJK compatibility ideograph', text: '\uFA19', character: 'U+FA19' },
  { kind: 'CJK compatibility ideograph', text: '\uFA1F', character: 'U+FA1F' },
];

export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

function inLegacyTable(codePoint: number): boolean {
  if (codePoint > 0xffff) return false; // astral: plane 2 kanji, ideographic variation selectors
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return false; // half of a pair that arrived alone
  if (codePoint >= 0xe000 && codePoint <= 0xf8ff) return false; // private use (vendor gaiji)
  if (codePoint >= 0xf900 && codePoint <= 0xfaff) return false; // CJK compatibility ideographs
  if (codePoint >= 0xfe00 && codePoint <= 0xfe0f) return false; // standardised variation selectors
  return true;
}

export type Conversion = { ok: true; text: string } | { ok: false; character: string };

/** The conversion in use until 2016-07: refuses the first character its table lacks. */
export function legacyConvert(text: string): Conversion {
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (!inLegacyTable(codePoint)) return { ok: false, character: codePointName(codePoint) };
  }
  return { ok: true, text };
}

/** The corrected conversion keeps every character as Unicode. */
export function unicodeConvert(text: string): Conversion {
  return { ok: true, text };
}
