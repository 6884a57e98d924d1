import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project checkout; every cache and default output lives below it so a clone is self-contained. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Git-ignored cache: built tools, image build contexts, the engine's log, pid files of live runs. */
export const cacheDir = process.env.IJIWARU_CACHE ?? path.join(projectRoot, '.cache', 'ijiwaru');

export const toolsBinDir = path.join(cacheDir, 'bin');
export const imageContextsDir = path.join(cacheDir, 'images');
export const pidsDir = path.join(cacheDir, 'pids');
