import { ensureEngine } from './engine.ts';
import { ensureImages, type ImageTags } from './images.ts';
import { ensureTools } from './tools.ts';

export type Say = (line: string) => void;

/**
 * First-use setup, idempotent: tools always (both runtimes use Toxiproxy, k6 and HAProxy), the
 * engine and the images only for the docker runtime. Fast when everything is present.
 */
export async function setup(options: { engine: boolean; say: Say }): Promise<{ images?: ImageTags }> {
  await ensureTools(options.say);
  if (!options.engine) return {};
  await ensureEngine(options.say);
  return { images: await ensureImages(options.say) };
}
