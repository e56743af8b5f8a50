import { resolve } from 'node:path';
import type { Command } from 'commander';
import { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import { SmartHttpVersionResolver } from '../../shared/adapters/smart-http-version-resolver';
import { isPlanValid } from '../../shared/domain/plan/plan';
import { UnknownRevisionError } from '../../shared/ports/settings-source';
import { renderPlanJson } from '../../shared/rendering/plan-json';
import { renderPlanMarkdown } from '../../shared/rendering/plan-markdown';
import { planChange } from '../../shared/use-cases/plan-change';
import type { CliIo } from '../cli-io';
import { UsageError } from '../usage-error';
import { toJson } from '../../shared/rendering/json-output';

interface PlanOptions {
  base: string;
  head: string;
  repo: string;
  json?: boolean;
  offline?: boolean;
}

export function registerPlan(program: Command, io: CliIo): void {
  program
    .command('plan')
    .description('review a change as the pull request review would: affected environments validated at head and compared with base (exit 1 if one is invalid)')
    .requiredOption('--base <ref>', 'the commit, branch or tag the change starts from (the trunk)')
    .requiredOption('--head <ref>', 'the commit, branch or tag of the change')
    .option('--repo <dir>', 'the local git repository of the settings', '.')
    .option('--json', 'print JSON instead of markdown')
    .option('--offline', 'do not ask the SPA code repository what version pins name')
    .action(async (options: PlanOptions) => {
      io.exitCode = await runPlan(options, io);
    });
}

async function runPlan(options: PlanOptions, io: CliIo): Promise<number> {
  const repository = new GitSettingsRepository(resolve(io.cwd, options.repo));
  const resolver = options.offline ? undefined : new SmartHttpVersionResolver();
  let base: string;
  let head: string;
  try {
    [base, head] = await Promise.all([repository.resolve(options.base), repository.resolve(options.head)]);
  } catch (error) {
    if (error instanceof UnknownRevisionError) throw new UsageError(`${error.message} in ${repository.directory}`);
    throw error;
  }
  const { plan } = await planChange(repository, { ref: options.base, commit: base }, { ref: options.head, commit: head }, resolver ? { resolver } : {});
  if (options.json) io.out(toJson(renderPlanJson(plan)));
  else io.out(renderPlanMarkdown(plan, { maxChars: Number.MAX_SAFE_INTEGER }));
  return isPlanValid(plan) ? 0 : 1;
}
