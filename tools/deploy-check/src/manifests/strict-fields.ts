import { join } from 'node:path';
import ts from 'typescript';
import type { K8sObject } from '../kustomize/render-kustomization.js';
import { modelInterface, modelModule } from './k8s-models.js';

/**
 * The OpenAPI schemas accept unknown fields (as the API server does, silently
 * dropping them), so a typo such as `readinesProbe` would pass. This check
 * type-checks every object as an object literal of its kubernetes-models
 * interface: TypeScript's excess-property check then rejects any field the
 * API does not define, at every depth. Returns the problems.
 */
export function strictFieldProblems(objects: readonly K8sObject[], root: string): string[] {
  const file = join(root, 'tools/deploy-check/__rendered-manifests__.ts');
  const lines = objects.map(
    (object, index) =>
      `import type { ${modelInterface(object.kind)} as T${index} } from '${modelModule(object.apiVersion, object.kind)}'; ` +
      `export const o${index}: T${index} = ${JSON.stringify(object)};`,
  );
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) =>
    name === file
      ? ts.createSourceFile(name, text, version)
      : getSourceFile(name, version, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file);
  return ts.getPreEmitDiagnostics(program, source).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.start === undefined || diagnostic.file === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const object = objects[line];
    return `${object ? `${object.kind}/${object.metadata.name}` : `line ${line + 1}`}: ${message}`;
  });
}
