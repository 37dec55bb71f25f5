// kafkajs 2.2.4 hot-path replacements, each checked byte for byte against kafkajs's own code by its
// spec. They swap modules in kafkajs's require cache, so this must load before kafkajs loads its
// protocol modules: libs/kafka imports it first.
import './kafkajs-encoder-pool.js';
import './kafkajs-crc32c.js';
import './kafkajs-record-encoder.js';
import './kafkajs-produce-request.js';
import './kafkajs-record-decoder.js';
