import type { FaultContext } from '../types.ts';
import { wait } from './wait.ts';

/** Asks each component's state every `everyMs` until `signal` aborts; each answer is a query of the history. */
export async function sampleStatus(context: FaultContext, names: readonly string[], everyMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    await lookAt(context, names, false);
    await wait(everyMs, signal);
  }
}

/** One look at each component: its state, and with `logs` its log events; recorded as queries. */
export async function lookAt(context: FaultContext, names: readonly string[], logs = true): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const component = context.topology.component(name);
      // A look that fails is recorded with its error; the judge decides what a missing answer means.
      await component.status().catch(() => undefined);
      if (logs) await component.logs().catch(() => undefined);
    }),
  );
}
