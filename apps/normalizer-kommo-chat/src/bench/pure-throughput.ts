import { printPureThroughput } from '@crm/normalizer-kit';
import { normalizeKommoChat } from '../normalize/kommo-chat-normalizer.js';

/** Pure-path throughput over every repo fixture (one JSON line for tools/bench-normalizers). */
printPureThroughput(normalizeKommoChat, 'kommo-chat', new URL('../../fixtures/', import.meta.url));
