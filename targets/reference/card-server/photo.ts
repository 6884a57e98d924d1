import { createHash } from 'node:crypto';

const MIN_BYTES = 20 * 1024;
const SPREAD_BYTES = 20 * 1024;

/**
 * The card's face photo as stored at registration: 20–40 KB, derived from the card ID so that a
 * record's size is realistic and the same card always gets the same bytes.
 */
export function photoFor(cardId: string): Buffer {
  const seed = createHash('sha256').update(cardId).digest();
  const size = MIN_BYTES + (seed.readUInt32BE(0) % (SPREAD_BYTES + 1));
  return createHash('shake256', { outputLength: size }).update(seed).digest();
}
