import { getMetadataStorage } from 'class-validator';

type Metadata = object;
interface Storage {
  getTargetValidationMetadatas(
    target: object,
    schema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): Metadata[];
  groupByPropertyName(metadata: Metadata[]): Record<string, Metadata[]>;
  addValidationMetadata(metadata: Metadata): void;
  addConstraintMetadata(metadata: Metadata): void;
}

let installed = false;
let generation = 0;

/** Changes whenever a rule or constraint is registered: derived caches compare it to stay fresh. */
export function validationRulesGeneration(): number {
  return generation;
}

/**
 * class-validator recomputes a class's rule list (walking every registered
 * class for inheritance) on every validate call; that dominated the
 * normalizers' hot path. This memoizes the lookup per class and options, and
 * forgets everything whenever a new rule is registered. Idempotent.
 */
export function installValidationCache(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage() as unknown as Storage;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  let rules = new Map<object, Map<string, Metadata[]>>();
  let grouped = new WeakMap<Metadata[], Record<string, Metadata[]>>();
  const forget = () => {
    generation += 1;
    rules = new Map();
    grouped = new WeakMap();
  };
  storage.addValidationMetadata = (metadata) => {
    forget();
    addRule(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraint(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\0${always}\0${strictGroups}\0${(groups ?? []).join('\0')}`;
    let byKey = rules.get(target);
    if (!byKey) rules.set(target, (byKey = new Map<string, Metadata[]>()));
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}
