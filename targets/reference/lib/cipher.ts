/**
 * The envelope's payload cipher: base64 of the JSON with every byte XORed with 0x5a. It stands in
 * for the HSM's real cipher and costs nothing, so the time an HSM operation takes is the board's
 * modelled time alone.
 */
const KEY = 0x5a;

function xor(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] ?? 0) ^ KEY;
  return out;
}

export function encrypt(value: unknown): string {
  return xor(Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')).toString('base64');
}

/** Throws on a payload that is not base64 of an enciphered JSON text. */
export function decrypt(payload: string): unknown {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new Error('payload is not base64');
  return JSON.parse(xor(Buffer.from(payload, 'base64')).toString('utf8')) as unknown;
}
