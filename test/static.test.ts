import path from 'node:path';
import { ESLint } from 'eslint';
import t from 'tap';
import { runCommand } from '../harness/command.ts';
import { projectRoot } from '../harness/paths.ts';

t.test('the project type-checks (strict)', async (t) => {
  const result = await runCommand(path.join(projectRoot, 'node_modules/.bin/tsc'), ['-p', projectRoot]);
  t.equal(result.code, 0, result.stdout.trim() || 'tsc found nothing');
});

t.test('the k6 scripts type-check against @types/k6', async (t) => {
  const result = await runCommand(path.join(projectRoot, 'node_modules/.bin/tsc'), ['-p', path.join(projectRoot, 'load')]);
  t.equal(result.code, 0, result.stdout.trim() || 'tsc found nothing');
});

t.test('the project lints clean', async (t) => {
  const eslint = new ESLint({ cwd: projectRoot });
  const results = await eslint.lintFiles(['.']);
  const problems = results.flatMap((result) => result.messages.map((message) => `${path.relative(projectRoot, result.filePath)}:${message.line} ${message.message}`));
  t.same(problems, []);
});

t.test('the boundary rules: each layer imports only what it may', async (t) => {
  const eslint = new ESLint({ cwd: projectRoot });
  const restricted = async (file: string, from: string) => {
    const [result] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, { filePath: path.join(projectRoot, file) });
    return result?.messages.some((message) => message.ruleId === 'no-restricted-imports') ?? false;
  };
  const cases: Array<[string, string, boolean]> = [
    ['harness/runner.ts', '../targets/reference/levels.ts', true],
    ['faults/F1-monitor.ts', '../targets/reference/levels.ts', true],
    ['faults/kit/wait.ts', '../../targets/reference/levels.ts', true],
    ['faults/F1-monitor.ts', '../harness/runner.ts', true],
    ['faults/kit/wait.ts', '../../harness/history/history.ts', true],
    ['faults/F1-monitor.ts', '../harness/fault-api.ts', false],
    ['faults/F1-monitor.ts', './kit/wait.ts', false],
    ['harness/report/html.ts', '../../faults/catalog.ts', true],
    ['harness/runtime/docker.ts', '../../faults/types.ts', true],
    ['harness/history/history.ts', '../../faults/types.ts', true],
    ['harness/report/html.ts', '../../targets/reference/levels.ts', true],
    ['harness/runner.ts', '../faults/registry.ts', false],
    ['test/contract.test.ts', '../targets/reference/levels.ts', false],
  ];
  for (const [file, from, rejected] of cases) t.equal(await restricted(file, from), rejected, `${file} ${rejected ? 'may not' : 'may'} import ${from}`);
});
