import type { SystemView } from '../../harness/fault-api.ts';
import { failed } from '../kit/evidence.ts';
import type { Terminal } from '../kit/terminal.ts';
import { answersAtTheTimeout } from '../kit/timer-edge.ts';
import { wait } from '../kit/wait.ts';
import type { FaultContext } from '../types.ts';
import { AT_THE_RELAY_TIMEOUT, type ComponentAction, type FaultSpec, type LinkMode } from './types.ts';

/** Undoes one injection: the link restored, the component back. */
export type Heal = () => Promise<void>;

/** How far past a declared timeout a latency lands: past it, short of twice it. */
const PAST_TIMEOUT = 1.3;
/** A response cut part way: the first bytes pass, then the connection closes. */
const CUT_AFTER_BYTES = 64;
/** Low bandwidth, in KB/s: a search's answer takes about a second. */
const LOW_RATE_KBPS = 1;
/** Memory pressure: a cap a component at rest stays under, where a leak or a burst does not. */
const PRESSURE_BYTES = 256 * 1024 * 1024;
const RELIEVED_BYTES = 2 * 1024 * 1024 * 1024;
/** A burst holds each connection this long on the way to the card server, so that they pile up. */
const BURST_HOLD_MS = 300;
const BURST_LIMIT_MS = 15_000;
/** The declared connection cap of `component` (CONTRACT.md 3), by its role in the view, from the run's parameters over the contract's defaults. */
export function connectionCap(view: SystemView, component: string): number | undefined {
  const parameter = view.municipalities.some((municipality) => municipality.cs === component)
    ? 'CS_POOL_SIZE'
    : view.relays.some((relay) => relay.name === component)
      ? 'RELAY_MAX_CONNECTIONS'
      : view.cardServers.includes(component)
        ? 'CARD_SERVER_MAX_CONNECTIONS'
        : undefined;
  const value = parameter === undefined ? undefined : (view.parameters[parameter] ?? view.defaults?.[parameter]);
  return value === undefined ? undefined : Number(value);
}

/** Each relay's links to the card servers: what a relay's timer waits across. */
export function cardServerLinksOf(view: Pick<SystemView, 'relays'>): Array<{ relay: string; link: string }> {
  return view.relays.flatMap((relay) => (relay.cardServerLinks ?? [{ link: relay.cardServerLink }]).map(({ link }) => ({ relay: relay.name, link })));
}

/** Applies `fault` through its real mechanism and returns how to undo it. */
export async function inject(context: FaultContext, terminal: Terminal, fault: FaultSpec): Promise<Heal> {
  return fault.kind === 'link' ? breakLink(context, fault.link, fault.mode) : actOn(context, terminal, fault.component, fault.action);
}

async function breakLink(context: FaultContext, name: string, mode: LinkMode): Promise<Heal> {
  const link = context.topology.link(name);
  if (mode === AT_THE_RELAY_TIMEOUT) {
    const relay = cardServerLinksOf(context.view).find((candidate) => candidate.link === name)?.relay;
    if (relay === undefined) throw new Error(`${name} is no relay's card-server link`);
    const edge = answersAtTheTimeout(context, relay, name, context.signal);
    return () => edge.done;
  }
  if (mode === 'cut') {
    await link.cut();
    return () => link.heal();
  }
  const toxic = await (() => {
    if (mode.startsWith('latency>')) {
      const timeout = context.view.timing[mode.slice('latency>'.length) as keyof SystemView['timing']];
      return link.latency({ latency: Math.round(timeout * PAST_TIMEOUT) });
    }
    if (mode === 'reset') return link.resetPeer({ timeout: 0 }, 'upstream');
    // Toxiproxy's timeout toxic at 0 holds every byte until it is removed: a black hole.
    if (mode === 'blackhole') return link.timeout({ timeout: 0 });
    if (mode === 'slow-close') return link.slowClose({ delay: context.view.timing.csRequestTimeoutMs });
    if (mode === 'cut-mid-body') return link.limitData({ bytes: CUT_AFTER_BYTES });
    return link.bandwidth({ rate: LOW_RATE_KBPS });
  })();
  return () => toxic.remove();
}

async function actOn(context: FaultContext, terminal: Terminal, name: string, action: ComponentAction): Promise<Heal> {
  const component = context.topology.component(name);
  switch (action) {
    case 'kill':
      await component.kill();
      return () => component.restart();
    case 'stop':
      await component.stop();
      return () => component.restart();
    case 'pause':
      await component.pause();
      return () => component.resume();
    case 'restart':
      await component.restart();
      return async () => undefined;
    case 'memory':
      await component.limitMemory(PRESSURE_BYTES);
      return () => component.limitMemory(RELIEVED_BYTES);
    case 'burst':
      return burst(context, terminal, name);
  }
}

/**
 * Half as many searches again as `component`'s declared connection cap, all at once through the
 * terminal, each held on its way to the card server, until the first that the system turns away
 * (the cap was met) or the burst's limit; the heal waits for them and lifts the hold.
 */
async function burst(context: FaultContext, terminal: Terminal, component: string): Promise<Heal> {
  const { topology, view, signal } = context;
  const pushers = Math.ceil((connectionCap(view, component) ?? 100) * 1.5);
  const holds = await Promise.all(cardServerLinksOf(view).map(({ link }) => topology.link(link).latency({ latency: BURST_HOLD_MS })));
  let met = false;
  const until = performance.now() + BURST_LIMIT_MS;
  const push = async () => {
    while (!met && performance.now() < until && !signal.aborted) {
      if (failed((await terminal.search('trigger')).operation)) met = true;
    }
  };
  const pushing = Promise.all(Array.from({ length: pushers }, push));
  // The burst is under way before the step it lands on leaves.
  await wait(BURST_HOLD_MS / 2, signal);
  return async () => {
    await pushing;
    await Promise.all(holds.map((hold) => hold.remove()));
  };
}
