import { readdirSync, readFileSync } from 'node:fs';
import { runCommand } from '../../harness/command.ts';
import { RUN_LABEL } from '../../harness/runtime/types.ts';

/** What a run left, by the engine's own listing (docker) and the OS's process table (process). */
export async function leftovers(runId: string): Promise<{ containers: string[]; networks: string[]; volumes: string[]; processes: number[] }> {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const list = async (args: string[]) => {
    const result = await runCommand('docker', [...args, '--filter', filter, '--quiet']);
    if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.split('\n').filter(Boolean);
  };
  return {
    containers: await list(['ps', '--all']),
    networks: await list(['network', 'ls']),
    volumes: await list(['volume', 'ls']),
    processes: processesOfRun(runId),
  };
}

function processesOfRun(runId: string): number[] {
  const marker = `IJIWARU_RUN=${runId}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
