import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../manifests/overlays.js';
import { dockerignoreProblems, lintDockerfile } from './lint-dockerfile.js';
import { runtimeDirProblems } from './runtime-dirs.js';

const DOCKER_DIR = join(ROOT, 'tools/docker');
const DOCKERFILES = readdirSync(DOCKER_DIR).filter(
  (name) => /^Dockerfile(\.[\w-]+)?$/.test(name) && !name.endsWith('.dockerignore'),
);

const GOOD = `ARG BASE=node:20.20.2-bookworm-slim
FROM \${BASE} AS build
RUN npm ci --omit=dev
FROM \${BASE}
COPY --from=build /src /app
USER node
HEALTHCHECK CMD ["node", "-e", "1"]
CMD ["node", "main.js"]
`;

describe('Dockerfiles (tools/docker)', () => {
  it('exist', () => assert.ok(DOCKERFILES.length > 0));

  for (const name of DOCKERFILES) {
    it(`${name} passes the linter`, () => {
      assert.deepEqual(lintDockerfile(readFileSync(join(DOCKER_DIR, name), 'utf8')), []);
    });
    it(`${name} creates the ingress spool directory for its runtime user`, () => {
      assert.deepEqual(runtimeDirProblems(readFileSync(join(DOCKER_DIR, name), 'utf8')), []);
    });
    it(`${name} has a ${name}.dockerignore that keeps the context small`, () => {
      const ignore = join(DOCKER_DIR, `${name}.dockerignore`);
      assert.ok(existsSync(ignore));
      assert.deepEqual(dockerignoreProblems(readFileSync(ignore, 'utf8')), []);
    });
  }

  it('accepts a minimal good Dockerfile', () => assert.deepEqual(lintDockerfile(GOOD), []));

  const bad: { name: string; content: string; expect: RegExp }[] = [
    {
      name: 'a latest base image',
      content: GOOD.replace('20.20.2-bookworm-slim', 'latest'),
      expect: /must not use latest/,
    },
    {
      name: 'an untagged base image',
      content: GOOD.replace(':20.20.2-bookworm-slim', ''),
      expect: /must be pinned/,
    },
    {
      name: 'a root final stage',
      content: GOOD.replace('USER node', 'USER root'),
      expect: /non-root USER/,
    },
    { name: 'no USER', content: GOOD.replace('USER node\n', ''), expect: /non-root USER/ },
    {
      name: 'ADD',
      content: GOOD.replace('COPY --from', 'ADD --from'),
      expect: /use COPY, not ADD/,
    },
    { name: 'no HEALTHCHECK', content: GOOD.replace(/HEALTHCHECK.*\n/, ''), expect: /HEALTHCHECK/ },
    { name: 'dev dependencies', content: GOOD.replace(' --omit=dev', ''), expect: /--omit=dev/ },
    {
      name: 'a single stage',
      content:
        'FROM node:20.20.2-bookworm-slim\nUSER node\nHEALTHCHECK CMD ["x"]\nRUN npm ci --omit=dev\n',
      expect: /multi-stage/,
    },
    {
      name: 'an unknown instruction',
      content: `${GOOD}RUNN echo\n`,
      expect: /Unknown instruction/i,
    },
  ];
  for (const { name, content, expect } of bad) {
    it(`rejects ${name}`, () => assert.match(lintDockerfile(content).join('\n'), expect));
  }

  it('rejects a runtime stage without the spool directory, or with it owned by root', () => {
    const good = GOOD.replace(
      'USER node',
      'RUN install -d -o node -g node /var/spool/crm-ingress\nUSER node',
    );
    assert.deepEqual(runtimeDirProblems(good), []);
    assert.match(
      runtimeDirProblems(GOOD).join('\n'),
      /must create \/var\/spool\/crm-ingress owned by its USER node/,
    );
    assert.match(
      runtimeDirProblems(good.replace('-o node -g node ', '')).join('\n'),
      /owned by its USER node/,
    );
  });

  it('rejects a .dockerignore that sends node_modules', () => {
    assert.match(dockerignoreProblems('dist\n').join('\n'), /node_modules/);
  });
});
