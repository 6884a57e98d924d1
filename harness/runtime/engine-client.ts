import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';

// Ryuk's image cannot be pulled here; the harness labels and reaps its own resources instead.
// testcontainers reads this lazily, whenever it first needs a reaper (start, build).
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

/** The container engine client testcontainers resolved (DOCKER_HOST, or the default socket). */
export function engineClient(): Promise<ContainerRuntimeClient> {
  return getContainerRuntimeClient();
}
