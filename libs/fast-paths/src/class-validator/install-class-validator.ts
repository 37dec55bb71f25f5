import { createRequire } from 'node:module';
import type { MetadataStorage, ValidationTypes } from 'class-validator';
import type { FastPath, LibraryGuard } from '../fast-path.js';
import { fastPathsState } from '../fast-paths-state.js';
import { shapeMismatch } from '../shape.js';
import {
  installMetadataCache,
  metadataStorageMismatch,
  type CachedStorage,
} from './metadata-cache.js';
import { createValidationPlan, validationPlanMismatch } from './validation-plan.js';

const require = createRequire(import.meta.url);

export const CLASS_VALIDATOR_GUARD: LibraryGuard = {
  library: 'class-validator',
  writtenFor: '0.15.1',
};

interface ClassValidatorModule {
  readonly getMetadataStorage?: unknown;
  readonly ValidationTypes?: unknown;
}

/** The same module instance `import 'class-validator'` gives (it is CommonJS for Node). */
function classValidator(): ClassValidatorModule {
  return require('class-validator') as ClassValidatorModule;
}

function metadataStorage(): unknown {
  const { getMetadataStorage } = classValidator();
  return typeof getMetadataStorage === 'function'
    ? (getMetadataStorage as () => unknown)()
    : undefined;
}

/** The cache's rule-registration counter, kept for the plan. */
let rulesGeneration: (() => number) | undefined;

const metadataCache: FastPath = {
  name: 'class-validator.metadata-cache',
  library: 'class-validator',
  install() {
    const storage = metadataStorage();
    if (storage === undefined) return shapeMismatch('class-validator', ['no getMetadataStorage()']);
    const mismatch = metadataStorageMismatch(storage);
    if (mismatch) return mismatch;
    rulesGeneration = installMetadataCache(storage as CachedStorage);
    return undefined;
  },
};

const validationPlan: FastPath = {
  name: 'class-validator.validation-plan',
  library: 'class-validator',
  needs: 'class-validator.metadata-cache',
  install() {
    const storage = metadataStorage();
    const kinds = classValidator().ValidationTypes;
    const mismatch = validationPlanMismatch(storage, kinds);
    if (mismatch) return mismatch;
    if (!rulesGeneration) return 'class-validator.metadata-cache is not installed';
    fastPathsState().validation.passesValidation = createValidationPlan({
      storage: storage as MetadataStorage,
      kinds: kinds as typeof ValidationTypes,
      rulesGeneration,
    });
    return undefined;
  },
};

export const CLASS_VALIDATOR_FAST_PATHS: readonly FastPath[] = [metadataCache, validationPlan];
