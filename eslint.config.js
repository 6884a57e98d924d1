import tseslint from 'typescript-eslint';

/** An import rule for one layer: these folders must not import what `patterns` match. */
const boundary = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', 'runs/', '.tap/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `await using _toxic = ...` holds a resource for its scope without naming a use of it.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_' }],
    },
  },
  // Verdicts come from behaviour: the harness and the fault catalog never see how a target is
  // built (its patch level, its defect mechanisms), only what it does at its interfaces.
  boundary(['harness/**', 'faults/**'], [
    { regex: '(^|/)targets(/|$)', message: 'harness/ and faults/ judge from behaviour only; they must not import from targets/.' },
  ]),
  // A fault sees the harness only through its fault API, so the runner can change under it.
  boundary(['faults/**'], [
    { regex: '(^|/)targets(/|$)', message: 'harness/ and faults/ judge from behaviour only; they must not import from targets/.' },
    { regex: '(^|/)harness/(?!fault-api\\.ts$)', message: 'faults/ imports only harness/fault-api.ts of the harness.' },
  ]),
  // Reports only read the report and its evidence; runtimes only run components: neither knows a fault.
  boundary(['harness/report/**', 'harness/runtime/**', 'harness/history/**', 'harness/topology/**'], [
    { regex: '(^|/)targets(/|$)', message: 'harness/ and faults/ judge from behaviour only; they must not import from targets/.' },
    { regex: '(^|/)faults(/|$)', message: 'reports, runtimes, the history and the topology must not import faults/.' },
  ]),
);
