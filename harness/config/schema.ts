import * as z from 'zod';
import { FAULT_IDS } from '../../faults/registry.ts';
import { PROFILE_NAMES } from '../../fixtures/profiles/profile.ts';
import { SETTABLE_PARAMETERS } from '../contract/parameters.ts';
import { RUNTIME_KINDS } from '../runtime/types.ts';
import { SUITE_IDS } from '../suites/registry.ts';

/**
 * `ijiwaru.config.{ts,json}`: a vendor's target per targets/CONTRACT.md (its images, commands,
 * ports, operator commands, parameters and builds) and the defaults of `ijiwaru run`. Every
 * object is strict, and every field's error says what was expected: the loader prints the first
 * one as a single line.
 */

const expected = (text: string) => ({ error: text });

const text = (what: string) => z.string(expected(what)).min(1, expected(what));
const oneLine = (what: string) => text(what).regex(/^[^\n]*$/, expected(what));
const positiveInt = (what: string) => z.int(expected(what)).min(1, expected(what));
const argv = z.array(text('a non-empty string'), expected('an argv: an array of strings')).min(1, expected('an argv with at least the program'));
const image = text('an image reference such as vendor/relay:1.4').regex(/^[\w][\w.:/@-]*$/, expected('an image reference such as vendor/relay:1.4'));
const environment = z.record(
  text('an environment variable name').regex(/^[A-Za-z_][A-Za-z0-9_]*$/, expected('an environment variable name')),
  z.string(expected('a string')),
  expected('an object of environment variables (name: "value")'),
);

/** CONTRACT.md 3 names only: a typo would otherwise reach no component and change nothing. */
export const parameterSheetSchema = z
  .record(z.string(), z.string(expected('a string (parameters are environment values, at time scale 1)')), expected('an object of parameters (NAME: "value")'))
  .superRefine((value, context) => {
    for (const name of Object.keys(value).filter((name) => !SETTABLE_PARAMETERS.includes(name))) {
      context.addIssue({ code: 'custom', path: [name], input: name, message: `a parameter of CONTRACT.md 3 (${SETTABLE_PARAMETERS.join(', ')})` });
    }
  });

const component = z.strictObject(
  {
    image,
    /** The whole argv run in the image (its entrypoint replaced). */
    command: argv,
    port: z.int(expected('an integer 1-65535')).min(1, expected('an integer 1-65535')).max(65535, expected('an integer 1-65535')),
    environment: environment.optional(),
    memoryLimitMiB: positiveInt('a whole number of MiB, at least 1').optional(),
    readyTimeoutS: z.number(expected('a number of seconds above 0')).positive(expected('a number of seconds above 0')).optional(),
  },
  expected('an object'),
);

const perKind = <T extends z.ZodType>(value: T) =>
  z.strictObject(
    { cs: value.optional(), relay: value.optional(), cardServer: value.optional(), ca: value.optional(), scheduler: value.optional() },
    expected('an object with cs, relay, cardServer, ca, scheduler'),
  );

const variant = z.strictObject(
  {
    description: oneLine('one line saying what this build fixes or changes'),
    images: perKind(image).optional(),
    parameters: parameterSheetSchema.optional(),
    memoryLimitMiB: perKind(positiveInt('a whole number of MiB, at least 1')).optional(),
    /** Given to every component: a build's own settings, which are no contract parameter. */
    environment: environment.optional(),
  },
  expected('an object'),
);

const name = text('a target name').regex(/^[a-z][\w-]*$/, expected('a target name: lower-case letter, then letters, digits, - or _'));

const target = z.strictObject(
  {
    name: name.refine((value) => value !== 'reference', expected('a name other than "reference" (the built-in target)')),
    // The public-key side (CONTRACT.md 2.5) is optional: without it F11 is inconclusive.
    components: z.strictObject(
      { cs: component, relay: component, cardServer: component, ca: component.optional(), scheduler: component.optional() },
      expected('an object with cs, relay, cardServer (and ca, scheduler)'),
    ),
    operator: z.strictObject(
      { relayPollNow: argv, relayStatus: argv, relayBatchStart: argv.optional(), relayBatchStatus: argv.optional() },
      expected('an object with relayPollNow, relayStatus'),
    ),
    parameters: parameterSheetSchema.optional(),
    variants: z
      .record(text('a variant name').regex(/^[\w.-]+$/, expected('a variant name: letters, digits, ., - or _')), variant, expected('an object of variants'))
      .refine((value) => Object.keys(value).length > 0, expected('at least one variant')),
  },
  expected('an object'),
);

const run = z.strictObject(
  {
    variant: text('a variant of the target').optional(),
    faults: z.array(z.enum(FAULT_IDS, expected(`a fault ID (${FAULT_IDS.join(', ')})`)), expected('an array of fault IDs')).min(1, expected('at least one fault ID')).optional(),
    suite: z.enum(SUITE_IDS, expected(`a suite (${SUITE_IDS.join(', ')})`)).optional(),
    seed: positiveInt('a positive whole number').optional(),
    timeScale: positiveInt('a positive whole number').optional(),
    runtime: z.enum(RUNTIME_KINDS, expected(`a runtime (${RUNTIME_KINDS.join(', ')})`)).optional(),
    out: text('a folder').optional(),
    minutes: z.number(expected('a number of minutes above 0')).positive(expected('a number of minutes above 0')).optional(),
    profile: z.enum(PROFILE_NAMES, expected(`a day profile (${PROFILE_NAMES.join(', ')})`)).optional(),
  },
  expected('an object'),
);

export const configSchema = z
  .strictObject({ target, run: run.optional() }, expected('an object with target (and run)'))
  .superRefine((config, context) => {
    const chosen = config.run?.variant;
    const variants = Object.keys(config.target.variants);
    if (chosen !== undefined && !variants.includes(chosen)) {
      context.addIssue({ code: 'custom', path: ['run', 'variant'], input: chosen, message: `a variant of the target (${variants.join(', ')})` });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type TargetConfig = Config['target'];
export type RunDefaults = NonNullable<Config['run']>;
/** What a config file holds before validation: a `.ts` config may check itself with `satisfies ConfigFile`. */
export type ConfigFile = z.input<typeof configSchema>;
