import { createRequire } from 'node:module';
import type { plainToInstance } from 'class-transformer';
import type { FastPath, LibraryGuard } from '../fast-path.js';
import { fastPathsState } from '../fast-paths-state.js';
import { isRecord, shapeMismatch } from '../shape.js';
import {
  createInstantiate,
  transformerStorageMismatch,
  type TransformerStorage,
} from './instantiate.js';

const require = createRequire(import.meta.url);

export const CLASS_TRANSFORMER_GUARD: LibraryGuard = {
  library: 'class-transformer',
  writtenFor: '0.5.1',
};

const instantiate: FastPath = {
  name: 'class-transformer.instantiate',
  library: 'class-transformer',
  install() {
    // The same module instances `import 'class-transformer'` gives (it has no ESM entry for Node).
    const { plainToInstance: stock } = require('class-transformer') as {
      plainToInstance?: unknown;
    };
    if (typeof stock !== 'function')
      return shapeMismatch('class-transformer', ['no plainToInstance()']);
    const module: unknown = require('class-transformer/cjs/storage.js');
    const storage = isRecord(module) ? module['defaultMetadataStorage'] : undefined;
    const mismatch = transformerStorageMismatch(storage);
    if (mismatch) return mismatch;
    fastPathsState().validation.instantiate = createInstantiate(
      storage as TransformerStorage,
      stock as typeof plainToInstance,
    );
    return undefined;
  },
};

export const CLASS_TRANSFORMER_FAST_PATHS: readonly FastPath[] = [instantiate];
