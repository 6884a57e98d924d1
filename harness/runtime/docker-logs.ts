/**
 * Docker multiplexes stdout and stderr of a container without a TTY into frames: 8 header bytes
 * (stream, 3 zero bytes, big-endian length) then the payload. Returns the payloads in order.
 */
export function demultiplexLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}
