import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch, type PatchOperation } from './json-patch.js';

const DOC = { spec: { replicas: 1, list: ['a', 'b'], 'a/b': 1 } };

describe('applyJsonPatch (RFC 6902)', () => {
  const cases: { name: string; ops: PatchOperation[]; expect: unknown }[] = [
    {
      name: 'replace',
      ops: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      expect: { spec: { ...DOC.spec, replicas: 3 } },
    },
    {
      name: 'add a member',
      ops: [{ op: 'add', path: '/spec/x', value: { y: 1 } }],
      expect: { spec: { ...DOC.spec, x: { y: 1 } } },
    },
    {
      name: 'append with -',
      ops: [{ op: 'add', path: '/spec/list/-', value: 'c' }],
      expect: { spec: { ...DOC.spec, list: ['a', 'b', 'c'] } },
    },
    {
      name: 'insert at an index',
      ops: [{ op: 'add', path: '/spec/list/0', value: 'z' }],
      expect: { spec: { ...DOC.spec, list: ['z', 'a', 'b'] } },
    },
    {
      name: 'remove an element',
      ops: [{ op: 'remove', path: '/spec/list/0' }],
      expect: { spec: { ...DOC.spec, list: ['b'] } },
    },
    {
      name: 'an escaped key',
      ops: [{ op: 'replace', path: '/spec/a~1b', value: 2 }],
      expect: { spec: { ...DOC.spec, 'a/b': 2 } },
    },
    {
      name: 'test then replace',
      ops: [
        { op: 'test', path: '/spec/list/1', value: 'b' },
        { op: 'replace', path: '/spec/list/1', value: 'c' },
      ],
      expect: { spec: { ...DOC.spec, list: ['a', 'c'] } },
    },
    {
      name: 'move',
      ops: [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }],
      expect: { spec: { list: ['a', 'b'], 'a/b': 1, count: 1 } },
    },
  ];
  for (const { name, ops, expect } of cases) {
    it(name, () => assert.deepEqual(applyJsonPatch(DOC, ops), expect));
  }

  it('leaves its input untouched', () => {
    applyJsonPatch(DOC, [{ op: 'replace', path: '/spec/replicas', value: 9 }]);
    assert.equal(DOC.spec.replicas, 1);
  });

  const failures: { name: string; ops: PatchOperation[]; expect: RegExp }[] = [
    {
      name: 'replacing a missing member',
      ops: [{ op: 'replace', path: '/spec/nope', value: 1 }],
      expect: /no member "nope"/,
    },
    {
      name: 'a failed test',
      ops: [{ op: 'test', path: '/spec/replicas', value: 2 }],
      expect: /test failed/,
    },
    {
      name: 'an index past the end',
      ops: [{ op: 'add', path: '/spec/list/5', value: 1 }],
      expect: /bad array index/,
    },
    {
      name: 'a pointer without /',
      ops: [{ op: 'remove', path: 'spec' }],
      expect: /must start with/,
    },
  ];
  for (const { name, ops, expect } of failures) {
    it(`refuses ${name}`, () => assert.throws(() => applyJsonPatch(DOC, ops), expect));
  }
});
