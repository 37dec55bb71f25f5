import { describeUnderTimeZones } from '@crm/testing';

describeUnderTimeZones(new URL('./pipeliner-normalizer.spec.js', import.meta.url));
