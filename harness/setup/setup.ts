import { ensureEngine } from './engine.ts';
import { ensureImages, type ImageTags } from './images.ts';
import { ensureTools } from './tools.ts';

export type Say = (line: string) => void;

/** Told as each part of setup begins, so a person watching a first use (minutes) sees how far it is. */
export type SetupStep = (step: { index: number; total: number; name: string }) => void;

/**
 * First-use setup, idempotent: tools always (both runtimes use Toxiproxy, k6 and HAProxy), the
 * engine and the images only for the docker runtime. Fast when everything is present.
 */
export async function setup(options: { engine: boolean; say: Say; step?: SetupStep }): Promise<{ images?: ImageTags }> {
  const total = options.engine ? 3 : 1;
  options.step?.({ index: 1, total, name: 'tools' });
  await ensureTools(options.say);
  if (!options.engine) return {};
  options.step?.({ index: 2, total, name: 'container engine' });
  await ensureEngine(options.say);
  options.step?.({ index: 3, total, name: 'images' });
  return { images: await ensureImages(options.say) };
}
