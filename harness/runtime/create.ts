import { randomBytes } from 'node:crypto';
import { setup, type Say } from '../setup/setup.ts';
import { DockerRuntime } from './docker.ts';
import { ProcessRuntime } from './process.ts';
import type { Runtime, RuntimeKind } from './types.ts';

export { RUNTIME_KINDS } from './types.ts';


/** A short ID that names a run's containers, network, processes and evidence. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Runs setup for the kind (first use installs what is missing) and starts an empty runtime. */
export async function createRuntime(
  kind: RuntimeKind,
  options: { runId?: string; logDir: string; say?: Say },
): Promise<Runtime> {
  const runId = options.runId ?? newRunId();
  const { images } = await setup({ engine: kind === 'docker', say: options.say ?? (() => undefined) });
  if (kind === 'process') return new ProcessRuntime({ runId, logDir: options.logDir });
  if (!images) throw new Error('setup returned no images for the docker runtime');
  return DockerRuntime.create({ runId, images, logDir: options.logDir });
}
