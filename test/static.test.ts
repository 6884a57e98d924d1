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

t.test('the boundary rule rejects an import of targets/ from harness/ and faults/', async (t) => {
  const eslint = new ESLint({ cwd: projectRoot });
  for (const file of ['harness/runner.ts', 'faults/F1-monitor.ts']) {
    const [result] = await eslint.lintText("import { level } from '../targets/reference/levels.ts';\nexport const x = level;\n", {
      filePath: path.join(projectRoot, file),
    });
    t.ok(result?.messages.some((message) => message.ruleId === 'no-restricted-imports'), `${file} may not import targets/`);
  }
  const [allowed] = await eslint.lintText("import { level } from '../targets/reference/levels.ts';\nexport const x = level;\n", {
    filePath: path.join(projectRoot, 'test/contract.test.ts'),
  });
  t.notOk(allowed?.messages.some((message) => message.ruleId === 'no-restricted-imports'), 'tests may');
});
