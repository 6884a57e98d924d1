/**
 * The working buffer a message holds until it is answered (F6). Filling it touches every page, so
 * the memory is resident and a container's limit counts it: N messages in flight cost N buffers.
 */
export function holdMessageBuffer(bytes: number, seed: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, Math.floor(bytes)));
  buffer.fill(seed & 0xff);
  return buffer;
}
