import { DockerfileParser, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';

/** Every validator finding (syntax, unknown instructions, bad flags, casing, ...) is an error here. */
const STRICT = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

const at = (line: number, message: string): string => `line ${line + 1}: ${message}`;
const lineOf = (from: From): number => from.getRange().start.line;

/** `${NAME}` in a FROM resolved from the ARGs before the first FROM (their defaults). */
function resolvedImage(dockerfile: Dockerfile, from: From): string {
  const defaults = new Map(
    dockerfile
      .getInitialARGs()
      .map((arg) => [arg.getProperty()?.getName() ?? '', arg.getProperty()?.getValue() ?? '']),
  );
  return (from.getImage() ?? '').replace(
    /\$\{?(\w+)\}?/g,
    (_, name: string) => defaults.get(name) ?? '',
  );
}

function baseImageProblems(dockerfile: Dockerfile): string[] {
  const froms = dockerfile.getFROMs();
  const stages = new Set(
    froms.map((from) => from.getBuildStage()?.toLowerCase()).filter((stage) => stage !== undefined),
  );
  const problems: string[] = [];
  if (froms.length < 2)
    problems.push('must be multi-stage (build tools stay out of the final image)');
  for (const from of froms) {
    const image = resolvedImage(dockerfile, from);
    if (stages.has(image.toLowerCase()) || image === 'scratch') continue;
    const pinned =
      /@sha256:[0-9a-f]{64}$/.test(image) ||
      /:[\w][\w.-]*$/.test(image.replace(/^[^/]+:\d+\//, ''));
    if (!pinned)
      problems.push(at(lineOf(from), `base image "${image}" must be pinned to a tag or digest`));
    if (/:latest(@|$)/.test(image))
      problems.push(at(lineOf(from), `base image "${image}" must not use latest`));
  }
  return problems;
}

/** The instructions of the last stage (what runs), or undefined without a FROM. */
export function finalStage(dockerfile: Dockerfile): Instruction[] | undefined {
  const last = dockerfile.getFROMs().at(-1);
  if (!last) return undefined;
  const start = lineOf(last);
  return dockerfile
    .getInstructions()
    .filter((instruction) => instruction.getRange().start.line >= start);
}

/** The user the last stage runs as (its last USER, without a group). */
export const finalUser = (instructions: readonly Instruction[]): string | undefined =>
  instructions
    .filter((instruction) => instruction.getKeyword() === 'USER')
    .at(-1)
    ?.getArgumentsContent()
    ?.split(':')[0];

/** The last stage is what runs: it needs a non-root USER and a HEALTHCHECK, and gets no dev dependencies. */
function finalStageProblems(dockerfile: Dockerfile, content: string): string[] {
  const instructions = finalStage(dockerfile);
  if (!instructions) return ['no FROM'];
  const problems: string[] = [];
  const user = finalUser(instructions);
  if (user === undefined || user === 'root' || user === '0')
    problems.push('the final stage must switch to a non-root USER');
  if (!instructions.some((instruction) => instruction.getKeyword() === 'HEALTHCHECK'))
    problems.push('the final stage needs a HEALTHCHECK (probes are documented for Kubernetes)');
  if (!/npm ci [^\n]*--omit=dev/.test(content))
    problems.push('production dependencies must be installed with npm ci --omit=dev');
  return problems;
}

/**
 * Lints a Dockerfile: dockerfile-utils' validator (the one behind the VS Code
 * Docker extension) plus the rules that matter for these images: multi-stage,
 * pinned base images (no latest), COPY instead of ADD, a non-root USER, a
 * HEALTHCHECK and production-only dependencies. Returns the problems.
 */
export function lintDockerfile(content: string): string[] {
  const problems = validate(content, STRICT).map((diagnostic) =>
    at(
      diagnostic.range.start.line,
      typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
    ),
  );
  const dockerfile = DockerfileParser.parse(content);
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'ADD')
      problems.push(
        at(
          instruction.getRange().start.line,
          'use COPY, not ADD (no implicit downloads or unpacking)',
        ),
      );
  }
  return [
    ...problems,
    ...baseImageProblems(dockerfile),
    ...finalStageProblems(dockerfile, content),
  ];
}

/** A `<Dockerfile>.dockerignore` must keep local builds, dependencies and VCS data out of the context. */
export function dockerignoreProblems(content: string): string[] {
  const lines = content.split('\n').map((line) => line.trim());
  const problems = ['node_modules', 'dist']
    .filter((name) => !lines.includes(`**/${name}`))
    .map((name) => `must exclude **/${name}`);
  // An allow-list (`**` then `!path`) sends only what it names; otherwise .git must be excluded.
  if (!lines.includes('**') && !lines.includes('.git'))
    problems.push('must exclude .git (or start from **)');
  return problems;
}
