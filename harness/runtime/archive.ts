import { Parser, type ReadEntry } from 'tar';

export interface ArchivedFile {
  /** The entry's path inside the archive. */
  path: string;
  content: Buffer;
}

/** The regular files of a tar stream (the engine's archive of a container path), read whole. */
export function filesOfArchive(archive: NodeJS.ReadableStream): Promise<ArchivedFile[]> {
  return new Promise((resolve, reject) => {
    const files: ArchivedFile[] = [];
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        if (entry.type !== 'File') {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => files.push({ path: entry.path, content: Buffer.concat(chunks) }));
      },
    });
    parser.on('end', () => resolve(files));
    parser.on('error', reject);
    archive.on('error', reject);
    archive.pipe(parser);
  });
}
