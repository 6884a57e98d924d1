import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', 'runs/', '.tap/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Verdicts come from behaviour: the harness and the fault catalog never see how a target is
    // built (its patch level, its defect mechanisms), only what it does at its interfaces.
    files: ['harness/**', 'faults/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)targets(/|$)',
              message: 'harness/ and faults/ judge from behaviour only; they must not import from targets/.',
            },
          ],
        },
      ],
    },
  },
);
