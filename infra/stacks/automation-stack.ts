/**
 * Automation (target) account: one deploy role per environment, assumed by that environment's deployment
 * build only, with the external id. It runs SPA's `make deploy` (`cdk deploy --all`), which creates IAM
 * roles, Lambda functions, DynamoDB tables, EventBridge rules, dashboards and more: hence the workbook's
 * AdministratorAccess by default. An installation can narrow it with `deployPolicy.managedPolicyArns`.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { InstallationConfig } from '../config/installation-config';
import { installationNames } from '../names';

export interface AutomationStackProps extends StackProps {
  readonly config: InstallationConfig;
}

export class AutomationStack extends Stack {
  readonly deployRoles: { readonly environment: string; readonly role: iam.Role }[];

  constructor(scope: Construct, id: string, props: AutomationStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = installationNames(config);

    this.deployRoles = config.environments.map((environment) => {
      const managedPolicies = environment.deployPolicy === 'administrator'
        ? [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')]
        : environment.deployPolicy.managedPolicyArns.map((arn, index) => iam.ManagedPolicy.fromManagedPolicyArn(this, `DeployPolicy-${environment.name}-${index}`, arn));
      const role = new iam.Role(this, `DeployRole-${environment.name}`, {
        roleName: names.deployRoleName(environment),
        description: `spa-cd: make deploy of SPA environment ${environment.name}, by its deployment build only`,
        assumedBy: new iam.AccountPrincipal(config.accounts.devOps).withConditions({
          StringEquals: { 'sts:ExternalId': config.externalId },
          ArnEquals: { 'aws:PrincipalArn': names.buildRoleArn(environment) },
        }),
        managedPolicies,
        // role chaining (CodeBuild service role -> deploy role) caps sessions at one hour anyway
        maxSessionDuration: Duration.hours(1),
      });
      return { environment: environment.name, role };
    });
  }
}
