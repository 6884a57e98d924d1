import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors.ts';
import { projectRoot } from '../paths.ts';
import type { TargetDefinition } from './types.ts';

/** Built-in targets by name: definition files loaded at run time, exactly like a vendor's. */
const BUILT_IN: Record<string, string> = { reference: 'targets/reference/target.ts' };

/** Targets of a config file (`ijiwaru run --config`), added by the CLI before a run. */
const configured = new Map<string, TargetDefinition>();

export interface ResolvedTarget {
  definition: TargetDefinition;
  variant: string;
  /** As the user wrote it, for the replay command. */
  spec: string;
}

/** Makes a config file's target known by its name, beside the built-in ones. */
export function addConfiguredTarget(definition: TargetDefinition): void {
  configured.set(definition.name, definition);
}

/** Every target by name: the built-in ones, then those of a config. */
export async function allTargets(): Promise<TargetDefinition[]> {
  return [...(await Promise.all(Object.keys(BUILT_IN).map(definitionOf))), ...configured.values()];
}

async function definitionOf(name: string): Promise<TargetDefinition> {
  const known = configured.get(name);
  if (known) return known;
  const file = BUILT_IN[name];
  if (!file) throw new HarnessError('usage', `unknown target "${name}": use one of ${[...Object.keys(BUILT_IN), ...configured.keys()].join(', ')}`);
  const module = (await import(pathToFileURL(path.join(projectRoot, file)).href)) as { default: TargetDefinition };
  return module.default;
}

/** `NAME@VARIANT` → the target's definition. The harness never interprets the variant. */
export async function loadTarget(spec: string): Promise<ResolvedTarget> {
  const match = /^([a-z][\w-]*)@(.+)$/.exec(spec);
  if (!match) throw new HarnessError('usage', `--target "${spec}" is not NAME@VARIANT (for example reference@2016-01)`);
  const [, name = '', variant = ''] = match;
  const definition = await definitionOf(name);
  if (!definition.variants.includes(variant)) {
    throw new HarnessError('usage', `unknown ${name} variant "${variant}": use one of ${definition.variants.join(', ')}`);
  }
  return { definition, variant, spec };
}
