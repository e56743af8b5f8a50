/**
 * Builds the three stacks of one installation into a CDK App. Used by infra/app.ts (synthesis) and the tests.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { InstallationConfig } from './config/installation-config';
import { acknowledgeFindings } from './nag-suppressions';
import { AutomationStack } from './stacks/automation-stack';
import { CloudOpsStack } from './stacks/cloudops-stack';
import { DevOpsStack } from './stacks/devops-stack';

export interface SpaCdAppOptions {
  readonly config: InstallationConfig;
  /** Folder of the esbuild bundles (`<dir>/<function>/index.mjs`). */
  readonly functionsCodeDirectory: string;
  /** Cloud assembly folder; default: CDK_OUTDIR, else a temporary folder. */
  readonly outdir?: string;
  /** Register cdk-nag AwsSolutions as a validation plugin: synthesis fails on any unacknowledged finding. */
  readonly nag?: boolean;
}

export interface SpaCdApp {
  readonly app: App;
  readonly cloudOps: CloudOpsStack;
  readonly devOps: DevOpsStack;
  readonly automation: AutomationStack;
}

export function buildSpaCdApp(options: SpaCdAppOptions): SpaCdApp {
  const { config } = options;
  const app = new App({ ...(options.outdir === undefined ? {} : { outdir: options.outdir }) });
  const region = config.region;
  const cloudOps = new CloudOpsStack(app, `${config.name}-cloudops`, {
    env: { account: config.accounts.cloudOps, region },
    description: 'spa-cd: settings repository, controller, history (CloudOps account)',
    config,
    functionsCodeDirectory: options.functionsCodeDirectory,
  });
  const devOps = new DevOpsStack(app, `${config.name}-devops`, {
    env: { account: config.accounts.devOps, region },
    description: 'spa-cd: deployment builds and trigger role (DevOps account)',
    config,
  });
  const automation = new AutomationStack(app, `${config.name}-automation`, {
    env: { account: config.accounts.automation, region },
    description: 'spa-cd: deploy roles (Automation account)',
    config,
  });
  Tags.of(app).add('application', 'spa-cd');
  Tags.of(app).add('spa-cd:installation', config.name);
  acknowledgeFindings({ config, cloudOps, devOps, automation });
  if (options.nag === true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, cloudOps, devOps, automation };
}
