export * from './form-value.js';
export * from './parse-key.js';
export * from './percent-decode.js';
export * from './decode-form.js';
