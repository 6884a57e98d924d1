import path from 'node:path';
import { echoTopology } from '../fixtures/echo/topology.ts';
import { HarnessClient } from './history/client.ts';
import { History, type Operation } from './history/history.ts';
import { createRuntime, newRunId } from './runtime/create.ts';
import type { RuntimeKind } from './runtime/types.ts';
import type { Say } from './setup/setup.ts';

export interface DemoStep {
  step: string;
  operation: Operation;
}

export interface DemoResult {
  runId: string;
  runtime: RuntimeKind;
  readyMs: number;
  steps: DemoStep[];
  historyFile: string;
}

/**
 * Brings up the echo topology and drives one request through each kind of fault the harness
 * can inject, so a first run shows the spine working end to end.
 */
export async function runDemo(options: { runtime: RuntimeKind; outDir: string; say: Say }): Promise<DemoResult> {
  const runId = newRunId();
  const evidence = path.join(options.outDir, 'evidence');
  const started = performance.now();
  const runtime = await createRuntime(options.runtime, { runId, logDir: path.join(evidence, 'logs'), say: options.say });
  await using topology = await echoTopology().start(runtime);
  const readyMs = performance.now() - started;
  const history = new History(path.join(evidence, 'history.jsonl'));
  const client = new HarnessClient(history, 'demo', { headersMs: 1500 });
  const steps: DemoStep[] = [];
  const viaEntry = async (step: string) => {
    const { operation } = await client.send({ op: 'echo', target: 'entry', endpoint: () => topology.entry('entry'), path: '/echo', body: { step } });
    steps.push({ step, operation });
  };
  const direct = async (step: string) => {
    const { operation } = await client.send({ op: 'echo', target: 'front', endpoint: () => topology.component('front').endpoint(8000), path: '/echo' });
    steps.push({ step, operation });
  };
  try {
    await viaEntry('baseline');
    const latency = await topology.link('hop').latency({ latency: 200 });
    await viaEntry('latency 200 ms on hop');
    await latency.remove();
    const reset = await topology.link('entry').resetPeer();
    await viaEntry('reset_peer on entry');
    await reset.remove();
    await topology.link('entry').cut();
    await viaEntry('entry cut');
    await topology.link('entry').heal();
    await topology.component('back').pause();
    await viaEntry('back paused');
    await topology.component('back').resume();
    await viaEntry('back resumed');
    await topology.component('front').kill();
    await direct('front killed (-9)');
    await topology.component('front').restart();
    await viaEntry('front restarted');
  } finally {
    history.close();
    await client.close();
  }
  return { runId, runtime: options.runtime, readyMs, steps, historyFile: history.file ?? '' };
}
