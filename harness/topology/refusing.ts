import type { Component } from '../runtime/types.ts';
import type { LinkHandle } from './link.ts';

/**
 * The component, with the links that lead to it refusing connections while the harness has it
 * down, as the port of a dead process on a live host does.
 *
 * Why the links must do it: Toxiproxy dials a link's far end by name for each connection, inside
 * its accept loop. Once a container is gone, the engine's DNS forwards its name to the outside
 * resolver, which answers late under load (measured: 50 concurrent lookups of a missing name took
 * up to 10 s, 300 up to 55 s), and meanwhile the proxy accepts nothing. A burst against a killed
 * relay so held its link shut past the heal, and probes of a healthy build timed out.
 *
 * So the links shut before the component goes down, while its name still resolves: once it is
 * gone, shutting a proxy waits for the dial in its accept loop, which outlasted Toxiproxy's own
 * 25 s API limit under load. What was in flight through them ends there, as on a crash; a
 * graceful stop still runs the component's own shutdown. A component that died by itself is
 * restarted as it is: its links opened again once it is back.
 */
export function refusingWhileDown(component: Component, inbound: LinkHandle[]): Component {
  const shut = () => Promise.all(inbound.map((link) => link.farEndDown()));
  const open = () => Promise.all(inbound.map((link) => link.farEndUp()));
  return {
    ...bound(component),
    async kill() {
      await shut();
      await component.kill();
    },
    async stop() {
      await shut();
      await component.stop();
    },
    async restart() {
      if ((await component.status()).state !== 'exited') {
        await shut();
        await component.stop();
      }
      await component.restart();
      await open();
    },
  };
}

/** Every operation of `component`, callable apart from it. */
function bound(component: Component): Component {
  return {
    name: component.name,
    endpoint: (port) => component.endpoint(port),
    stop: () => component.stop(),
    kill: () => component.kill(),
    pause: () => component.pause(),
    resume: () => component.resume(),
    restart: () => component.restart(),
    logs: () => component.logs(),
    exec: (argv) => component.exec(argv),
    limitMemory: (bytes) => component.limitMemory(bytes),
    changedFiles: () => component.changedFiles(),
    status: () => component.status(),
  };
}
