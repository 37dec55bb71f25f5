import { spawn } from 'node:child_process';

export interface Check {
  readonly name: string;
  readonly command: string;
}

/** Static checks that count as tests: a failing one fails the run like a failing spec. */
export const STATIC_CHECKS: readonly Check[] = [
  { name: 'format: prettier --check', command: 'prettier --check --log-level warn .' },
  {
    name: 'lint: eslint (type-checked rules, import cycles, nx module boundaries)',
    command: 'NX_DAEMON=false nx show projects > /dev/null && eslint --max-warnings=0 .',
  },
  { name: 'type-check and build: tsc -b', command: 'tsc -b' },
  {
    name: 'compose: docker-compose.yml validates',
    command:
      'tsx --tsconfig tsconfig.base.json --conditions=@crm/source tools/compose-check/src/main.ts',
  },
];

export const BUILD_CHECK: Check = { name: 'type-check and build: tsc -b', command: 'tsc -b' };

/** Runs a check through the shell with node_modules/.bin on PATH; output is shown as it comes. */
export function runCheck(check: Check, root: string): Promise<boolean> {
  const started = Date.now();
  process.stdout.write(`▶ ${check.name}\n`);
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', check.command], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PATH: `${root}/node_modules/.bin:${process.env['PATH'] ?? ''}` },
    });
    child.on('close', (code) => {
      const ok = code === 0;
      process.stdout.write(`${ok ? '✔' : '✖'} ${check.name} (${Date.now() - started} ms)\n`);
      resolve(ok);
    });
  });
}
