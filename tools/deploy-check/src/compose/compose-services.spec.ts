import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../manifests/overlays.js';

interface ComposeService {
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  depends_on?: Record<string, { condition?: string }>;
  environment?: Record<string, string>;
}

describe('docker-compose.yml runs the whole stack', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  };
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
});
