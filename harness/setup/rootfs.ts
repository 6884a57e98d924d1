import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.ts';
import { runCommand } from '../command.ts';

/** One file of a scratch image: where it comes from on the host and where it lands in the image. */
export interface RootfsFile {
  source: string;
  target: string;
}

/** A `FROM scratch` image described by its files and the Dockerfile lines that follow them. */
export interface ScratchImage {
  name: string;
  files: RootfsFile[];
  /** Empty directories the programs expect (for example /tmp). */
  directories: string[];
  /** Dockerfile lines after `FROM scratch` and `COPY rootfs/ /`. */
  instructions: string[];
}

/** A binary and every shared library its dynamic linker would load, placed at their host paths. */
export async function binaryWithLibraries(binary: string, target: string): Promise<RootfsFile[]> {
  const result = await runCommand('ldd', [binary]);
  if (result.code !== 0 && !/not a dynamic executable/.test(result.stderr + result.stdout)) {
    throw new HarnessError('image-build', `ldd ${binary} failed: ${result.stderr.trim()}`);
  }
  const libraries = [...result.stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1] ?? '');
  return [{ source: binary, target }, ...libraries.map((library) => ({ source: library, target: library }))];
}

export function dockerfileOf(image: ScratchImage): string {
  return ['FROM scratch', 'COPY rootfs/ /', ...image.instructions, ''].join('\n');
}

/** A digest of everything that goes into the image, so that a tag names exactly one content. */
export function imageDigest(image: ScratchImage): string {
  const hash = createHash('sha256');
  hash.update(dockerfileOf(image));
  for (const file of [...image.files].sort((a, b) => a.target.localeCompare(b.target))) {
    hash.update(`\0${file.target}\0`);
    hash.update(readFileSync(file.source));
  }
  for (const directory of [...image.directories].sort()) hash.update(`\0dir:${directory}`);
  return hash.digest('hex').slice(0, 16);
}

/** Lays out the build context: Dockerfile plus rootfs/ mirroring the image's file system. */
export function writeContext(image: ScratchImage, contextDir: string): void {
  const rootfs = path.join(contextDir, 'rootfs');
  for (const file of image.files) {
    const destination = path.join(rootfs, file.target);
    mkdirSync(path.dirname(destination), { recursive: true });
    copyFileSync(file.source, destination);
  }
  for (const directory of image.directories) mkdirSync(path.join(rootfs, directory), { recursive: true });
  writeFileSync(path.join(contextDir, 'Dockerfile'), dockerfileOf(image));
}
