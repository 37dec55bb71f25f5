import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../manifests/overlays.js';
import { composeSpoolProblems, durationMs, type ComposeFile } from './compose-spool.js';

interface ComposeService {
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  depends_on?: Record<string, { condition?: string }>;
  environment?: Record<string, string>;
}

describe('docker-compose.yml runs the whole stack', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  } & ComposeFile;
  const apps = readdirSync(join(ROOT, 'apps')).filter((name) =>
    existsSync(join(ROOT, 'apps', name, 'project.json')),
  );

  it('has a service for every app under apps/', () => {
    assert.ok(apps.length > 0);
    for (const app of apps) assert.ok(compose.services[app], `no compose service for apps/${app}`);
  });

  for (const app of apps) {
    it(`${app}: built from tools/docker/Dockerfile with APP=${app}, started after the topics exist`, () => {
      const service = compose.services[app];
      assert.deepEqual(service?.build, {
        context: '.',
        dockerfile: 'tools/docker/Dockerfile',
        args: { APP: app },
      });
      assert.equal(service.depends_on?.['kafka-init']?.condition, 'service_completed_successfully');
      assert.equal(service.environment?.['KAFKA_BROKERS'], 'kafka:19092');
    });
  }

  it('ingress keeps its spool on the named volume ingress-spool and is given time to drain it', () => {
    assert.deepEqual(composeSpoolProblems(compose), []);
  });

  it('fails on a spool without its volume or fixed hostname, or a short stop_grace_period', () => {
    const broken = structuredClone(compose);
    const ingress = broken.services['ingress'];
    assert.ok(ingress);
    ingress.volumes = ingress.volumes?.filter(
      (entry) => typeof entry !== 'string' || !entry.startsWith('ingress-spool'),
    );
    delete ingress.stop_grace_period;
    delete ingress.hostname;
    delete broken.volumes?.['ingress-spool'];
    const problems = composeSpoolProblems(broken).join('\n');
    assert.match(
      problems,
      /named volume ingress-spool must be mounted at \/var\/spool\/crm-ingress/,
    );
    assert.match(problems, /volumes: ingress-spool is not declared/);
    assert.match(problems, /ingress: needs a fixed hostname/);
    assert.match(problems, /stop_grace_period 10000 ms does not outlast the 32500 ms drain/);
  });

  it('reads compose durations', () => {
    assert.deepEqual(
      ['40s', '1m30s', '1.5s', '250ms', undefined].map(durationMs),
      [40_000, 90_000, 1_500, 250, 10_000],
    );
  });
});
