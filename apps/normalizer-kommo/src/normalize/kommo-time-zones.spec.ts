import { describeUnderTimeZones } from '@crm/testing';

describeUnderTimeZones(new URL('./kommo-normalizer.spec.js', import.meta.url));
