import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes each log line to a file descriptor before returning, as the 2016 server did: the caller
 * pays the whole cost of the write (F5). A descriptor another part of the process has made
 * non-blocking answers EAGAIN when the pipe is full; wait a millisecond and go on.
 */
export function syncWriter(fd: number): (line: string) => void {
  return (line) => {
    const bytes = Buffer.from(line, 'utf8');
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
  };
}
