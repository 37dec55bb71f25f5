import { createHmac } from 'node:crypto';
import { describe } from 'node:test';
import {
  CHAT_V1_TEXT,
  CHAT_V1_TEXT_SIGNATURE,
  CHAT_V2_PICTURE,
  CHAT_V2_PICTURE_SIGNATURE,
  VENDOR_CHAT_SECRET,
  chatV2Typing,
} from './fixtures/chat-bodies.js';
import { ONE_MIB, paddedBody } from './fixtures/large-body.js';
import { flipLastChar, runVerifyTable, tamper, type VerifyCase } from './fixtures/verify-table.js';
import { kommoChatSignature as sign } from './signatures.js';

const CURRENT = 'chat-secret-2024-current';
const OLD = 'chat-secret-2023-rotated-out';
const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;

const big = paddedBody(CHAT_V2_PICTURE, ONE_MIB);
const withNewline = Buffer.concat([CHAT_V2_PICTURE, Buffer.from('\n')]);
const withCrLf = Buffer.concat([CHAT_V2_PICTURE, Buffer.from('\r\n')]);
const fresh = chatV2Typing(NOW_S - 10);
const stale = chatV2Typing(NOW_S - 600);
const freshness = { receivedAtMs: NOW_MS, chatToleranceSeconds: 300 };
const base64Digest = createHmac('sha1', CURRENT).update(CHAT_V2_PICTURE).digest('base64');

const cases: VerifyCase[] = [
  {
    name: 'vendor v1 sample (known answer)',
    webhook: {
      body: CHAT_V1_TEXT,
      signature: CHAT_V1_TEXT_SIGNATURE,
      connection: 'vendor-chat',
      key: 'vendor-chat',
    },
    expect: 0,
  },
  {
    name: 'vendor v2 sample (known answer)',
    webhook: {
      body: CHAT_V2_PICTURE,
      signature: CHAT_V2_PICTURE_SIGNATURE,
      connection: 'vendor-chat',
      key: 'vendor-chat',
    },
    expect: 0,
  },
  {
    name: 'valid with the current secret',
    webhook: { body: CHAT_V2_PICTURE, signature: sign(CHAT_V2_PICTURE, CURRENT) },
    expect: 0,
  },
  {
    name: 'valid with the rotated (second) secret',
    webhook: { body: CHAT_V2_PICTURE, signature: sign(CHAT_V2_PICTURE, OLD) },
    expect: 1,
  },
  {
    name: 'one body byte tampered',
    webhook: { body: tamper(CHAT_V2_PICTURE), signature: sign(CHAT_V2_PICTURE, CURRENT) },
    expect: 'bad_signature',
  },
  {
    name: 'first body byte tampered',
    webhook: { body: tamper(CHAT_V2_PICTURE, 0), signature: sign(CHAT_V2_PICTURE, CURRENT) },
    expect: 'bad_signature',
  },
  {
    name: 'one signature digit changed',
    webhook: { body: CHAT_V2_PICTURE, signature: flipLastChar(sign(CHAT_V2_PICTURE, CURRENT)) },
    expect: 'bad_signature',
  },
  {
    name: 'wrong secret',
    webhook: { body: CHAT_V2_PICTURE, signature: sign(CHAT_V2_PICTURE, 'not-our-secret') },
    expect: 'bad_signature',
  },
  {
    name: 'vendor sample against our secrets',
    webhook: { body: CHAT_V1_TEXT, signature: CHAT_V1_TEXT_SIGNATURE },
    expect: 'bad_signature',
  },
  {
    name: 'missing header',
    webhook: { body: CHAT_V2_PICTURE, signature: undefined },
    expect: 'missing_signature',
  },
  {
    name: 'empty header',
    webhook: { body: CHAT_V2_PICTURE, signature: '' },
    expect: 'missing_signature',
  },
  {
    name: 'blank header',
    webhook: { body: CHAT_V2_PICTURE, signature: '   ' },
    expect: 'missing_signature',
  },
  {
    name: 'wrong encoding: base64 of the right digest',
    webhook: { body: CHAT_V2_PICTURE, signature: base64Digest },
    expect: 'bad_signature',
  },
  {
    name: 'wrong encoding: sha1= prefix',
    webhook: { body: CHAT_V2_PICTURE, signature: `sha1=${sign(CHAT_V2_PICTURE, CURRENT)}` },
    expect: 'bad_signature',
  },
  {
    name: 'wrong length: 39 hex characters',
    webhook: { body: CHAT_V2_PICTURE, signature: sign(CHAT_V2_PICTURE, CURRENT).slice(1) },
    expect: 'bad_signature',
  },
  {
    name: 'wrong algorithm: HMAC-SHA256 hex',
    webhook: {
      body: CHAT_V2_PICTURE,
      signature: createHmac('sha256', CURRENT).update(CHAT_V2_PICTURE).digest('hex'),
    },
    expect: 'bad_signature',
  },
  {
    name: 'upper-case hex is the same digest',
    webhook: { body: CHAT_V2_PICTURE, signature: sign(CHAT_V2_PICTURE, CURRENT).toUpperCase() },
    expect: 0,
  },
  {
    name: 'surrounding whitespace in the header is ignored',
    webhook: { body: CHAT_V2_PICTURE, signature: ` ${sign(CHAT_V2_PICTURE, CURRENT)} ` },
    expect: 0,
  },
  {
    name: 'trailing newline, signed with it (exact bytes)',
    webhook: { body: withNewline, signature: sign(withNewline, CURRENT) },
    expect: 0,
  },
  {
    name: 'trailing newline, signed without it',
    webhook: { body: withNewline, signature: sign(CHAT_V2_PICTURE, CURRENT) },
    expect: 'bad_signature',
  },
  {
    name: 'trailing newline, signed without it, fallback on',
    webhook: { body: withNewline, signature: sign(CHAT_V2_PICTURE, CURRENT) },
    options: { chatTrailingNewlineFallback: true },
    expect: 0,
  },
  {
    name: 'trailing CRLF, signed without it, fallback on',
    webhook: { body: withCrLf, signature: sign(CHAT_V2_PICTURE, OLD) },
    options: { chatTrailingNewlineFallback: true },
    expect: 1,
  },
  {
    name: 'fallback never accepts a tampered body',
    webhook: { body: tamper(withNewline), signature: sign(CHAT_V2_PICTURE, CURRENT) },
    options: { chatTrailingNewlineFallback: true },
    expect: 'bad_signature',
  },
  {
    name: 'signed with a newline the body lacks',
    webhook: { body: CHAT_V2_PICTURE, signature: sign(withNewline, CURRENT) },
    options: { chatTrailingNewlineFallback: true },
    expect: 'bad_signature',
  },
  {
    name: 'empty body, signed',
    webhook: { body: Buffer.alloc(0), signature: sign(Buffer.alloc(0), CURRENT) },
    expect: 0,
  },
  {
    name: 'empty body, signature of another body',
    webhook: { body: Buffer.alloc(0), signature: sign(CHAT_V2_PICTURE, CURRENT) },
    expect: 'bad_signature',
  },
  { name: '1 MiB body, valid', webhook: { body: big, signature: sign(big, CURRENT) }, expect: 0 },
  {
    name: '1 MiB body, last byte tampered',
    webhook: { body: tamper(big, big.length - 1), signature: sign(big, CURRENT) },
    expect: 'bad_signature',
  },
  {
    name: 'freshness off by default: a stale v2 body passes',
    webhook: { body: stale, signature: sign(stale, CURRENT) },
    options: { receivedAtMs: NOW_MS },
    expect: 0,
  },
  {
    name: 'freshness on: v2 within tolerance',
    webhook: { body: fresh, signature: sign(fresh, CURRENT) },
    options: freshness,
    expect: 0,
  },
  {
    name: 'freshness on: v2 too old',
    webhook: { body: stale, signature: sign(stale, CURRENT) },
    options: freshness,
    expect: 'stale',
  },
  {
    name: 'freshness on: v2 from the future',
    webhook: {
      body: chatV2Typing(NOW_S + 600),
      signature: sign(chatV2Typing(NOW_S + 600), CURRENT),
    },
    options: freshness,
    expect: 'stale',
  },
  {
    name: 'freshness on: forged stale body is a bad signature first',
    webhook: { body: stale, signature: sign(stale, 'forger') },
    options: freshness,
    expect: 'bad_signature',
  },
  {
    name: 'freshness on: v1 has no time and passes',
    webhook: { body: CHAT_V1_TEXT, signature: sign(CHAT_V1_TEXT, CURRENT) },
    options: freshness,
    expect: 0,
  },
  {
    name: 'freshness on: signed body that is not JSON',
    webhook: { body: Buffer.from('not json'), signature: sign('not json', CURRENT) },
    options: freshness,
    expect: 'malformed',
  },
  {
    name: 'freshness on: time is a string',
    webhook: {
      body: Buffer.from('{"time":"1700000000"}'),
      signature: sign('{"time":"1700000000"}', CURRENT),
    },
    options: freshness,
    expect: 'malformed',
  },
];

describe('kommo-chat: X-Signature HMAC-SHA1 over the exact bytes', () => {
  runVerifyTable(
    [
      { id: 'acme-chat', source: 'kommo-chat', secrets: [CURRENT, OLD] },
      { id: 'vendor-chat', source: 'kommo-chat', secrets: [VENDOR_CHAT_SECRET] },
    ],
    { key: 'acme-chat', connection: 'acme-chat', source: 'kommo-chat' },
    cases,
    [CURRENT, OLD, VENDOR_CHAT_SECRET],
  );
});
