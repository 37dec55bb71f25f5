import { createHmac } from 'node:crypto';
import { describe } from 'node:test';
import { ONE_MIB, paddedBody } from './fixtures/large-body.js';
import {
  PIPELINER_ACCOUNT_CREATE as BODY,
  PIPELINER_SIGNATURE_UUID as CURRENT,
} from './fixtures/pipeliner-bodies.js';
import { flipLastChar, runVerifyTable, tamper, type VerifyCase } from './fixtures/verify-table.js';
import { pipelinerSignature as sign } from './signatures.js';

const OLD = 'fedcba98-7654-3210-0000-ffffffffffff';
const big = paddedBody(BODY, ONE_MIB);
const withNewline = Buffer.concat([BODY, Buffer.from('\n')]);
const hex = sign(BODY, CURRENT, 'hex');
const b64 = sign(BODY, CURRENT, 'base64');
const b64url = createHmac('sha256', CURRENT).update(BODY).digest('base64url');

const cases: VerifyCase[] = [
  { name: 'valid, hex', webhook: { body: BODY, signature: hex }, expect: 0 },
  {
    name: 'valid, upper-case hex',
    webhook: { body: BODY, signature: hex.toUpperCase() },
    expect: 0,
  },
  { name: 'valid, base64 with padding', webhook: { body: BODY, signature: b64 }, expect: 0 },
  {
    name: 'valid, base64 without padding',
    webhook: { body: BODY, signature: b64.replace(/=+$/, '') },
    expect: 0,
  },
  {
    name: 'valid with the rotated (second) UUID, base64',
    webhook: { body: BODY, signature: sign(BODY, OLD, 'base64') },
    expect: 1,
  },
  {
    name: 'valid with the rotated (second) UUID, hex',
    webhook: { body: BODY, signature: sign(BODY, OLD) },
    expect: 1,
  },
  {
    name: 'one body byte tampered',
    webhook: { body: tamper(BODY), signature: hex },
    expect: 'bad_signature',
  },
  {
    name: 'one hex digit changed',
    webhook: { body: BODY, signature: flipLastChar(hex) },
    expect: 'bad_signature',
  },
  {
    name: 'wrong UUID',
    webhook: { body: BODY, signature: sign(BODY, '00000000-0000-0000-0000-000000000000') },
    expect: 'bad_signature',
  },
  {
    name: 'missing header',
    webhook: { body: BODY, signature: undefined },
    expect: 'missing_signature',
  },
  { name: 'empty header', webhook: { body: BODY, signature: '' }, expect: 'missing_signature' },
  {
    name: 'wrong encoding: sha256= prefix',
    webhook: { body: BODY, signature: `sha256=${hex}` },
    expect: 'bad_signature',
  },
  {
    name: 'wrong encoding: base64 of the hex text',
    webhook: { body: BODY, signature: Buffer.from(hex).toString('base64') },
    expect: 'bad_signature',
  },
  {
    name: 'wrong encoding: base64url alphabet',
    webhook: { body: BODY, signature: /[-_]/.test(b64url) ? b64url : `${b64url.slice(0, -1)}-` },
    expect: 'bad_signature',
  },
  {
    name: 'wrong algorithm: HMAC-SHA1 hex',
    webhook: { body: BODY, signature: createHmac('sha1', CURRENT).update(BODY).digest('hex') },
    expect: 'bad_signature',
  },
  {
    name: 'wrong length: 63 hex characters',
    webhook: { body: BODY, signature: hex.slice(1) },
    expect: 'bad_signature',
  },
  { name: 'non-ASCII junk', webhook: { body: BODY, signature: 'ÿÿÿÿ' }, expect: 'bad_signature' },
  {
    name: 'trailing newline, signed with it (exact bytes)',
    webhook: { body: withNewline, signature: sign(withNewline, CURRENT) },
    expect: 0,
  },
  {
    name: 'trailing newline, signed without it',
    webhook: { body: withNewline, signature: hex },
    expect: 'bad_signature',
  },
  {
    name: 'empty body, signed',
    webhook: { body: Buffer.alloc(0), signature: sign(Buffer.alloc(0), CURRENT, 'base64') },
    expect: 0,
  },
  {
    name: 'empty body, signature of another body',
    webhook: { body: Buffer.alloc(0), signature: hex },
    expect: 'bad_signature',
  },
  {
    name: '1 MiB body, valid',
    webhook: { body: big, signature: sign(big, CURRENT, 'base64') },
    expect: 0,
  },
  {
    name: '1 MiB body, one byte tampered',
    webhook: { body: tamper(big), signature: sign(big, CURRENT) },
    expect: 'bad_signature',
  },
];

describe('pipeliner: WebHook-Signature HMAC-SHA256 keyed with the signature UUID', () => {
  runVerifyTable(
    [{ id: 'acme-pipeliner', source: 'pipeliner', secrets: [CURRENT, OLD] }],
    { key: 'acme-pipeliner', connection: 'acme-pipeliner', source: 'pipeliner' },
    cases,
    [CURRENT, OLD],
  );
});
