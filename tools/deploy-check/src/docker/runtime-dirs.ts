import { DockerfileParser } from 'dockerfile-ast';
import { finalStage, finalUser } from './lint-dockerfile.js';

/** Directories a service writes at run time (ingress's INGRESS_SPOOL_DIR), where volumes are mounted. */
export const RUNTIME_DIRS = ['/var/spool/crm-ingress'] as const;

/**
 * The runtime stage must create each of RUNTIME_DIRS owned by its USER (`install -d -o <user>`
 * or `chown <user>`): an empty named volume takes the ownership of the directory it is mounted
 * on, so without it the non-root user could not write its volume under compose.
 */
export function runtimeDirProblems(content: string): string[] {
  const instructions = finalStage(DockerfileParser.parse(content)) ?? [];
  const user = finalUser(instructions) ?? 'root';
  const runs = instructions
    .filter((instruction) => instruction.getKeyword() === 'RUN')
    .map((instruction) => instruction.getArgumentsContent() ?? '');
  const owned = new RegExp(`(?:-o|chown)\\s+${user}\\b`);
  return RUNTIME_DIRS.filter(
    (dir) => !runs.some((run) => run.includes(dir) && owned.test(run)),
  ).map((dir) => `the final stage must create ${dir} owned by its USER ${user}`);
}
