import fc from 'fast-check';
import type { Operation } from '../../harness/fault-api.ts';
import { failed } from './evidence.ts';

/**
 * Classes of characters in Japanese addresses (CONTRACT.md 2.1 lists the ones that broke the
 * municipal systems of 2016), and beyond them. `real`: a resident's address may hold them, so a
 * build must keep them; the others it may refuse, but never answer 5xx, crash or store mangled.
 * Escapes, not literals: an editor or a normaliser would fold some of them silently.
 */
export interface AddressClass {
  name: string;
  real: boolean;
  characters: readonly string[];
  /** How many of the class's characters an address holds (very long: hundreds). */
  length: { min: number; max: number };
}

const PLAIN = [...'東京都千代田区霞が関港南町丁目番地号室ー－１２３４５６７８９０アパートマンション'];

export const ADDRESS_CLASSES: readonly AddressClass[] = [
  { name: 'plain (BMP kanji, kana, full-width digits)', real: true, characters: PLAIN, length: { min: 1, max: 12 } },
  { name: 'JIS X 0213 plane 2', real: true, characters: ['\u{20BB7}', '\u{2123D}', '\u{29E3D}', '\u{2A6B2}'], length: { min: 1, max: 3 } },
  { name: 'other astral (surrogate pairs)', real: true, characters: ['\u{2000B}', '\u{20B9F}', '\u{2F800}'], length: { min: 1, max: 3 } },
  { name: 'ideographic variation sequences', real: true, characters: ['\u845B\u{E0100}', '\u8FBB\u{E0100}', '\u9089\u{E0101}'], length: { min: 1, max: 2 } },
  { name: 'private use (vendor gaiji)', real: true, characters: ['\uE000', '\uE0A5', '\uF8FF'], length: { min: 1, max: 2 } },
  { name: 'CJK compatibility ideographs', real: true, characters: ['\uFA11', '\uFA19', '\uFA1F', '\uF929'], length: { min: 1, max: 3 } },
  { name: 'combining marks (NFD, not NFC)', real: true, characters: ['\u304B\u3099', '\u306F\u309A', 'e\u0301'], length: { min: 1, max: 3 } },
  { name: 'half- and full-width forms', real: true, characters: ['\uFF76\uFF9E', '\uFF8F', '\uFF21', '\uFF5E', '\u301C'], length: { min: 1, max: 4 } },
  { name: 'JSON and XML specials', real: true, characters: ['"', '\\', '<', '>', '&', "'", '/'], length: { min: 1, max: 3 } },
  { name: 'very long', real: false, characters: PLAIN, length: { min: 200, max: 300 } },
  { name: 'line and paragraph separators', real: false, characters: ['\u2028', '\u2029', '\u0085'], length: { min: 1, max: 2 } },
  { name: 'control characters', real: false, characters: ['\u0000', '\u0009', '\u001F', '\u007F'], length: { min: 1, max: 2 } },
  { name: 'noncharacters', real: false, characters: ['\uFFFE', '\uFFFF', '\u{1FFFE}'], length: { min: 1, max: 2 } },
];

/** An address around the class's characters: plain text either side, which shrinks away first. */
export function addressOf(addressClass: AddressClass): fc.Arbitrary<string> {
  const plain = fc.array(fc.constantFrom(...PLAIN), { maxLength: 8 }).map((characters) => characters.join(''));
  const middle = fc.array(fc.constantFrom(...addressClass.characters), { minLength: addressClass.length.min, maxLength: addressClass.length.max }).map((characters) => characters.join(''));
  return fc.tuple(plain, middle, plain).map((parts) => parts.join(''));
}

const SHOWN_CODE_POINTS = 12;

/** Code points as a reader of a report needs them (a variation selector is invisible); a long text by its start and length. */
export function codePoints(text: string): string {
  const all = [...text];
  const shown = all.slice(0, SHOWN_CODE_POINTS).map((character) => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
  return all.length > SHOWN_CODE_POINTS ? `${shown.join(' ')} … (${all.length} characters)` : shown.join(' ');
}

export type Violation = 'server-error' | 'refused' | 'mangled';

/**
 * What a certificate change and the record read back after it say of one address: nothing wrong,
 * or how the property broke. `undefined` also when the read-back is missing or cut short, so that
 * an unverified change is never a finding.
 */
export function violation(change: Operation, readBack: Operation | undefined, real: boolean): Violation | undefined {
  if (change.outcome === 'ok') {
    const kept = readBack?.outcome === 'ok' ? readBack.body?.['address'] : undefined;
    // A field longer than the history keeps is stored as its JSON cut short: no verdict on it.
    const cut = typeof kept === 'string' && kept.startsWith('"') && kept.endsWith('…');
    return typeof kept === 'string' && !cut && kept !== change.data?.['newAddress'] ? 'mangled' : undefined;
  }
  if (change.status !== undefined && change.status >= 400 && change.status < 500) return real ? 'refused' : undefined;
  return failed(change) ? 'server-error' : undefined;
}
