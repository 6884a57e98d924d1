/**
 * The message envelope of CONTRACT.md 2.2, as a client of the relay writes it. The payload
 * "encryption" is the contract's stand-in (base64 of the JSON, XOR 0x5a per byte); the harness
 * implements it from the contract, as any vendor would, not from a target's code.
 */
const KEY = 0x5a;

export function sealPayload(value: unknown): string {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] ?? 0) ^ KEY;
  return bytes.toString('base64');
}

export function openPayload(text: string): unknown {
  const bytes = Buffer.from(text, 'base64');
  for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] ?? 0) ^ KEY;
  return JSON.parse(bytes.toString('utf8')) as unknown;
}

export interface Envelope {
  requestId: string;
  municipality: string;
  kind: 'control' | 'business';
  op: string;
  payload: string;
}

export function envelope(requestId: string, kind: Envelope['kind'], op: string, payload: unknown, municipality = 'harness'): Envelope {
  return { requestId, municipality, kind, op, payload: sealPayload(payload) };
}
