import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { GenericContainer } from 'testcontainers';
import { engineClient } from '../runtime/engine-client.ts';
import { HarnessError } from '../errors.ts';
import { imageContextsDir, projectRoot } from '../paths.ts';
import { HAPROXY_PATH, toolPath } from './tools.ts';
import { binaryWithLibraries, imageDigest, writeContext, type ScratchImage } from './rootfs.ts';

type Say = (line: string) => void;

/** The Node 24 binary pinned through the npm `node` package; the reference targets run on it. */
export const NODE_BINARY = process.execPath;

export type BaseImageName = 'toxiproxy' | 'haproxy' | 'node';

/** Local image tags, each `ijiwaru/NAME:DIGEST-OF-INPUTS`. */
export type ImageTags = Record<BaseImageName | 'reference', string>;

/**
 * The reference targets as a vendor would ship them: the node image with targets/reference as
 * /app. Its digest tag changes with the code; this stable tag always names the latest build, for
 * config files (examples/reference.config.json).
 */
export const REFERENCE_IMAGE = 'ijiwaru/reference:local';
const REFERENCE_DIR = path.join(projectRoot, 'targets/reference');

function filesUnder(dir: string, target: string): Array<{ source: string; target: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(dir, entry.name), `${target}/${entry.name}`)
      : [{ source: path.join(dir, entry.name), target: `${target}/${entry.name}` }],
  );
}

async function describeImages(): Promise<ScratchImage[]> {
  const node: ScratchImage = {
    name: 'node',
    files: await binaryWithLibraries(NODE_BINARY, '/usr/local/bin/node'),
    directories: ['/tmp', '/app'],
    instructions: ['ENV PATH=/usr/local/bin', 'WORKDIR /app', 'ENTRYPOINT ["/usr/local/bin/node"]'],
  };
  return [
    {
      name: 'toxiproxy',
      files: [{ source: toolPath('toxiproxy'), target: '/toxiproxy' }],
      directories: ['/tmp'],
      instructions: ['ENTRYPOINT ["/toxiproxy"]', 'CMD ["-host=0.0.0.0"]'],
    },
    {
      name: 'haproxy',
      files: await binaryWithLibraries(HAPROXY_PATH, '/usr/sbin/haproxy'),
      directories: ['/tmp', '/run', '/etc/haproxy'],
      instructions: ['ENTRYPOINT ["/usr/sbin/haproxy"]'],
    },
    node,
    { ...node, name: 'reference', files: [...node.files, ...filesUnder(REFERENCE_DIR, '/app')] },
  ];
}

/** Builds each base image from local binaries unless an image with the same inputs exists. */
export async function ensureImages(say: Say): Promise<ImageTags> {
  const client = await engineClient();
  const tags: Partial<ImageTags> = {};
  for (const image of await describeImages()) {
    const tag = `ijiwaru/${image.name}:${imageDigest(image)}`;
    tags[image.name as keyof ImageTags] = tag;
    const present = await client.container.dockerode
      .getImage(tag)
      .inspect()
      .then(() => true, () => false);
    if (!present) await buildImage(image, tag, say);
  }
  const [repo = '', stable = ''] = REFERENCE_IMAGE.split(':');
  await client.container.dockerode.getImage(tags.reference ?? '').tag({ repo, tag: stable });
  return tags as ImageTags;
}

async function buildImage(image: ScratchImage, tag: string, say: Say): Promise<void> {
  say(`setup: building image ${tag} from local binaries`);
  mkdirSync(imageContextsDir, { recursive: true });
  const finalDir = path.join(imageContextsDir, tag.replace(/[/:]/g, '-'));
  if (!existsSync(finalDir)) {
    const building = mkdtempSync(path.join(imageContextsDir, '.ctx-'));
    writeContext(image, building);
    renameSync(building, finalDir);
  }
  try {
    await GenericContainer.fromDockerfile(finalDir).build(tag, { deleteOnExit: false });
  } catch (error) {
    rmSync(finalDir, { recursive: true, force: true });
    throw new HarnessError('image-build', `building ${tag} failed: ${(error as Error).message}`, { cause: error });
  }
}
