import { Toxiproxy } from 'toxiproxy-node-client';
import { HarnessError } from '../errors.ts';
import type { Component, ComponentSpec, Endpoint, Runtime } from '../runtime/types.ts';
import { InjectionJournal, journaled } from './injections.ts';
import { LinkHandle } from './link.ts';
import { refusingWhileDown } from './refusing.ts';

/** The far side of links whose client is the harness itself (its undici clients, k6). */
export const HARNESS = 'harness';

const TOXIPROXY = 'toxiproxy';
const TOXIPROXY_API_PORT = 8474;
const FIRST_LINK_PORT = 21000;

export interface LinkSpec {
  /** A component name, or HARNESS. */
  from: string;
  to: string;
  /** The port of `to` that the link carries traffic to. */
  port: number;
}

/** What a component's declaration may ask about the topology it is part of. */
export interface TopologyContext {
  /** `host:port` at which the link's client reaches its far end, through the link's proxy. */
  link(name: string): string;
}

export type ComponentDeclaration = (context: TopologyContext) => Omit<ComponentSpec, 'name'>;

/**
 * Declares components and the links between them. Nothing runs until `start`; every link gets a
 * Toxiproxy proxy of its own, on the one Toxiproxy of the topology.
 */
export class Topology {
  readonly #components = new Map<string, ComponentDeclaration>();
  readonly #links = new Map<string, LinkSpec>();

  component(name: string, declaration: ComponentDeclaration): this {
    if (name === HARNESS || name === TOXIPROXY || this.#components.has(name)) {
      throw new HarnessError('target-spec', `component name "${name}" is reserved or declared twice`);
    }
    this.#components.set(name, declaration);
    return this;
  }

  link(name: string, spec: LinkSpec): this {
    if (this.#links.has(name)) throw new HarnessError('target-spec', `link "${name}" is declared twice`);
    this.#links.set(name, spec);
    return this;
  }

  /** Starts Toxiproxy, every proxy, then all the components. */
  async start(runtime: Runtime): Promise<StartedTopology> {
    this.#validate();
    const listenPorts = new Map([...this.#links.keys()].map((name, index) => [name, FIRST_LINK_PORT + index]));
    try {
      const toxiproxyComponent = await runtime.start({
        name: TOXIPROXY,
        program: { executable: 'toxiproxy', args: ['-host={bind}', `-port=${TOXIPROXY_API_PORT}`] },
        ports: [TOXIPROXY_API_PORT, ...listenPorts.values()],
        ready: { kind: 'http', port: TOXIPROXY_API_PORT, path: '/version' },
      });
      const api = toxiproxyComponent.endpoint(TOXIPROXY_API_PORT);
      const toxiproxy = new Toxiproxy(`http://${api.host}:${api.port}`);
      const journal = new InjectionJournal();
      const links = new Map<string, LinkHandle>();
      for (const [name, spec] of this.#links) {
        const proxy = await toxiproxy.createProxy({
          name,
          listen: `${runtime.bindAddressOf(TOXIPROXY)}:${listenPorts.get(name)}`,
          upstream: `${runtime.addressOf(spec.to)}:${spec.port}`,
        });
        links.set(name, new LinkHandle(name, proxy, journal));
      }
      const context: TopologyContext = {
        link: (name) => {
          const port = listenPorts.get(name);
          if (port === undefined) throw new HarnessError('target-spec', `unknown link "${name}"`);
          return `${runtime.addressOf(TOXIPROXY)}:${port}`;
        },
      };
      // Components reach each other only through their links' proxies, which are already up and
      // dial per connection: no component needs another to be ready first, so all start at once.
      // Settle every start before judging, so the cleanup below sees every container that exists.
      const settled = await Promise.allSettled(
        [...this.#components].map(async ([name, declaration]) => [name, await runtime.start({ name, ...declaration(context) })] as const),
      );
      const failure = settled.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
      const inbound = (name: string) => [...this.#links].flatMap(([linkName, spec]) => (spec.to === name ? [links.get(linkName)!] : []));
      const components = new Map<string, Component>(
        settled.flatMap((result) =>
          result.status === 'fulfilled' ? [[result.value[0], journaled(refusingWhileDown(result.value[1], inbound(result.value[0])), journal)]] : [],
        ),
      );
      return new StartedTopology(runtime, toxiproxyComponent, components, links, listenPorts, this.#links, journal);
    } catch (error) {
      await runtime.dispose().catch((cleanupError: Error) =>
        process.stderr.write(`ijiwaru: cleanup after a failed start: ${cleanupError.message}\n`),
      );
      throw error;
    }
  }

  #validate(): void {
    for (const [name, spec] of this.#links) {
      for (const end of [spec.from, spec.to]) {
        if (end !== HARNESS && !this.#components.has(end)) {
          throw new HarnessError('target-spec', `link "${name}" names unknown component "${end}"`);
        }
      }
      if (spec.to === HARNESS) throw new HarnessError('target-spec', `link "${name}" cannot lead to the harness`);
    }
  }
}

/**
 * A running topology: typed handles on its components and links; disposing it reaps the run.
 * Whatever the handles do to the system is recorded in `injections` once a run attaches a file.
 */
export class StartedTopology implements AsyncDisposable {
  readonly runtime: Runtime;
  readonly toxiproxy: Component;
  readonly injections: InjectionJournal;
  readonly #components: Map<string, Component>;
  readonly #links: Map<string, LinkHandle>;
  readonly #listenPorts: Map<string, number>;
  readonly #linkSpecs: Map<string, LinkSpec>;

  constructor(
    runtime: Runtime,
    toxiproxy: Component,
    components: Map<string, Component>,
    links: Map<string, LinkHandle>,
    listenPorts: Map<string, number>,
    linkSpecs: Map<string, LinkSpec>,
    injections: InjectionJournal,
  ) {
    this.runtime = runtime;
    this.injections = injections;
    this.toxiproxy = toxiproxy;
    this.#components = components;
    this.#links = links;
    this.#listenPorts = listenPorts;
    this.#linkSpecs = linkSpecs;
  }

  component(name: string): Component {
    const component = this.#components.get(name);
    if (!component) throw new HarnessError('target-spec', `unknown component "${name}"`);
    return component;
  }

  link(name: string): LinkHandle {
    const link = this.#links.get(name);
    if (!link) throw new HarnessError('target-spec', `unknown link "${name}"`);
    return link;
  }

  /** Where the harness sends traffic for a link whose client is HARNESS. */
  entry(linkName: string): Endpoint {
    const port = this.#listenPorts.get(linkName);
    if (port === undefined || this.#linkSpecs.get(linkName)?.from !== HARNESS) {
      throw new HarnessError('target-spec', `"${linkName}" is not a link from the harness`);
    }
    return this.toxiproxy.endpoint(port);
  }

  /** Removes every toxic and brings every link up. */
  async restoreLinks(): Promise<void> {
    await Promise.all([...this.#links.values()].map((link) => link.restore()));
  }

  dispose(): Promise<void> {
    return this.runtime.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
