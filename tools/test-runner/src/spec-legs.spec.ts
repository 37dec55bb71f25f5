import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { specLegs } from './spec-legs.js';

const SPECS = { unit: ['a.spec.js', 'b.spec.js'], integration: ['c.int.spec.js'] };

describe('specLegs', () => {
  it('runs everything with the fast paths on, then the integration specs with them off', () => {
    const legs = specLegs(SPECS, false);
    assert.deepEqual(
      legs.map(({ files, fastPaths }) => ({ files, fastPaths })),
      [
        { files: ['a.spec.js', 'b.spec.js', 'c.int.spec.js'], fastPaths: 'on' },
        { files: ['c.int.spec.js'], fastPaths: 'off' },
      ],
    );
    assert.match(legs[1]?.title ?? '', /CRM_FAST_PATHS=off/);
  });

  it('runs whole-stack specs one at a time, and the npm start lifecycle specs once', () => {
    const start = '/r/tools/start/dist/npm-start.int.spec.js';
    const pipeline = '/r/tools/simulate/dist/pipeline.int.spec.js';
    const restart = '/r/apps/verifier/dist/verifier-restart.int.spec.js';
    const legs = specLegs(
      { unit: ['a.spec.js'], integration: [start, pipeline, restart, 'c.int.spec.js'] },
      false,
    );
    assert.deepEqual(
      legs.map(({ files, fastPaths, concurrency }) => ({ files, fastPaths, concurrency })),
      [
        { files: ['a.spec.js', 'c.int.spec.js'], fastPaths: 'on', concurrency: 2 },
        { files: [start, pipeline, restart], fastPaths: 'on', concurrency: 1 },
        { files: ['c.int.spec.js'], fastPaths: 'off', concurrency: 2 },
        { files: [pipeline, restart], fastPaths: 'off', concurrency: 1 },
      ],
    );
  });

  it('has no second leg without integration specs, or for --unit', () => {
    assert.deepEqual(
      specLegs({ unit: SPECS.unit, integration: [] }, false).map(({ fastPaths }) => fastPaths),
      ['on'],
    );
    assert.deepEqual(
      specLegs(SPECS, true).map(({ files, fastPaths }) => ({ files, fastPaths })),
      [{ files: SPECS.unit, fastPaths: 'on' }],
    );
  });
});
