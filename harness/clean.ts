import { engineAnswers } from './setup/engine.ts';
import { engineClient } from './runtime/engine-client.ts';
import { removeRun } from './runtime/docker.ts';
import { reapChildren } from './runtime/process-registry.ts';

export interface CleanResult {
  containers: number;
  networks: number;
  volumes: number;
  processes: number;
  engine: boolean;
}

/** Removes whatever runs left behind: labelled containers, networks and volumes, recorded child processes. */
export async function clean(runId?: string): Promise<CleanResult> {
  const processes = reapChildren(runId);
  if (!(await engineAnswers())) return { containers: 0, networks: 0, volumes: 0, processes, engine: false };
  const client = await engineClient();
  const removed = await removeRun(client.container.dockerode, runId);
  return { ...removed, processes, engine: true };
}
