import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Source } from '@crm/contracts';
import { verifyCredential, type PresentedCredential } from './credential-check.js';
import { kommoChatSignature, pipelinerSignature, tokenSha256Hex } from './signatures.js';
import { prepareVerificationMaterial } from './verification-material.js';

const BODY = Buffer.from('{"time":1,"message":{}}');
const material = (source: Source, secrets: string[]) =>
  prepareVerificationMaterial({
    id: 'c',
    source,
    secrets,
    // The account is the verifier's check: a mismatching one must not matter here.
    account: { id: 1, subdomain: 'nobody' },
  });

describe('verifyCredential (the credential only)', () => {
  const cases: [string, Source, string[], PresentedCredential, string | number][] = [
    ['kommo: right token', 'kommo', ['t1'], { tokenSha256: tokenSha256Hex('t1'), body: BODY }, 0],
    [
      'amocrm: rotated token',
      'amocrm',
      ['old', 'new'],
      { tokenSha256: tokenSha256Hex('new'), body: BODY },
      1,
    ],
    [
      'kommo: wrong token',
      'kommo',
      ['t1'],
      { tokenSha256: tokenSha256Hex('t2'), body: BODY },
      'bad_token',
    ],
    ['kommo: no token', 'kommo', ['t1'], { body: BODY }, 'missing_signature'],
    [
      'kommo: a signature is no token',
      'kommo',
      ['t1'],
      { signature: kommoChatSignature(BODY, 't1'), body: BODY },
      'missing_signature',
    ],
    [
      'chat: right signature',
      'kommo-chat',
      ['cs'],
      { signature: kommoChatSignature(BODY, 'cs'), body: BODY },
      0,
    ],
    [
      'chat: upper-case hex',
      'kommo-chat',
      ['cs'],
      { signature: kommoChatSignature(BODY, 'cs').toUpperCase(), body: BODY },
      0,
    ],
    [
      'chat: signed without the trailing newline',
      'kommo-chat',
      ['cs'],
      { signature: kommoChatSignature(BODY, 'cs'), body: Buffer.concat([BODY, Buffer.from('\n')]) },
      0,
    ],
    [
      'chat: wrong secret',
      'kommo-chat',
      ['cs'],
      { signature: kommoChatSignature(BODY, 'other'), body: BODY },
      'bad_signature',
    ],
    [
      'chat: other body',
      'kommo-chat',
      ['cs'],
      { signature: kommoChatSignature('{}', 'cs'), body: BODY },
      'bad_signature',
    ],
    [
      'chat: a token is no signature',
      'kommo-chat',
      ['cs'],
      { tokenSha256: tokenSha256Hex('cs'), body: BODY },
      'missing_signature',
    ],
    [
      'pipeliner: hex',
      'pipeliner',
      ['u'],
      { signature: pipelinerSignature(BODY, 'u'), body: BODY },
      0,
    ],
    [
      'pipeliner: base64',
      'pipeliner',
      ['u'],
      { signature: pipelinerSignature(BODY, 'u', 'base64'), body: BODY },
      0,
    ],
    [
      'pipeliner: wrong uuid',
      'pipeliner',
      ['u'],
      { signature: pipelinerSignature(BODY, 'v'), body: BODY },
      'bad_signature',
    ],
    [
      'pipeliner: junk',
      'pipeliner',
      ['u'],
      { signature: 'sha256=abc', body: BODY },
      'bad_signature',
    ],
  ];
  for (const [name, source, secrets, credential, expected] of cases) {
    it(name, () => {
      const result = verifyCredential(material(source, secrets), credential);
      if (typeof expected === 'number')
        assert.deepEqual(result, { ok: true, secretIndex: expected });
      else assert.equal(result.ok ? 'ok' : result.reason, expected);
    });
  }
});
