/**
 * Every cdk-nag (v3) acknowledgement of spa-cd, in one place, each with its reason. cdk-nag v3 acknowledges one
 * finding per call (`Validations.of(construct).acknowledge`), on the construct that carries it; the tests
 * fail on any finding not acknowledged here.
 */
import { Validations } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import type { InstallationConfig } from './config/installation-config';
import { CONTROLLER_FUNCTIONS } from './names';
import type { AutomationStack } from './stacks/automation-stack';
import type { CloudOpsStack } from './stacks/cloudops-stack';
import type { DevOpsStack } from './stacks/devops-stack';

export interface NagTargets {
  readonly config: InstallationConfig;
  readonly cloudOps: CloudOpsStack;
  readonly devOps: DevOpsStack;
  readonly automation: AutomationStack;
}

export const REASONS = {
  deadLetterQueue:
    'This queue is itself a dead-letter queue (EventBridge target DLQ and Lambda on-failure destination); a DLQ of a DLQ would only move the same messages. An alarm fires on its first message.',
  lambdaRuntime:
    'nodejs22.x is the runtime the product requires (supported until 2027-04-30) and the version the bundles target (esbuild target node22); moving to nodejs24.x is a deliberate upgrade, not a silent default.',
  codeBuildKms:
    'The project has no source and no artifacts: nothing is stored in S3 for a key to protect. Logs go to CloudWatch Logs; credentials are short STS sessions never written to disk.',
  administratorAccess:
    'SPA\'s `make deploy` runs `cdk deploy --all`, which creates IAM roles, Lambda functions, DynamoDB tables, EventBridge rules, SSM and CloudWatch resources: the workbook grants AdministratorAccess. The role is assumed only by this environment\'s deployment build (aws:PrincipalArn) with the external id; an installation narrows it with deployPolicy.managedPolicyArns.',
  approvalRuleTemplateWildcard:
    'CodeCommit approval rule templates have no resource-level permissions: Create/Update/DeleteApprovalRuleTemplate apply to "*" only. The role belongs to the custom resource that manages this one template at deployment time.',
  customResourceLogging:
    'The provider function of CDK\'s AwsCustomResource (creates the approval rule template at deployment) logs with the AWS managed basic execution policy; it runs only during stack operations.',
  configuredPolicy:
    'Managed policy chosen in the installation configuration (deployPolicy.managedPolicyArns) for `make deploy` of SPA; the role is assumed only by this environment\'s deployment build (aws:PrincipalArn) with the external id.',
} as const;

function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

export function acknowledgeFindings({ cloudOps, devOps, automation, config }: NagTargets): void {
  for (const name of CONTROLLER_FUNCTIONS) {
    const fn = cloudOps.functions[name];
    acknowledge(fn.deadLetterQueue, 'AwsSolutions-SQS3', REASONS.deadLetterQueue);
    acknowledge(fn.function, 'AwsSolutions-L1', REASONS.lambdaRuntime);
  }
  acknowledge(devOps.forwardDeadLetterQueue, 'AwsSolutions-SQS3', REASONS.deadLetterQueue);
  if (cloudOps.approvalRuleTemplate !== undefined) {
    acknowledge(cloudOps.approvalRuleTemplate, 'AwsSolutions-IAM5[Resource::*]', REASONS.approvalRuleTemplateWildcard);
    // the provider function shared by every AwsCustomResource of the stack (a singleton named after its UUID)
    const provider = cloudOps.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    if (provider !== undefined) acknowledge(provider, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', REASONS.customResourceLogging);
  }
  for (const { project } of devOps.projects) acknowledge(project, 'AwsSolutions-CB4', REASONS.codeBuildKms);

  for (const { environment, role } of automation.deployRoles) {
    const settings = config.environments.find((candidate) => candidate.name === environment);
    if (settings === undefined) continue;
    if (settings.deployPolicy === 'administrator') {
      acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]', REASONS.administratorAccess);
    } else {
      for (const arn of settings.deployPolicy.managedPolicyArns) acknowledge(role, `AwsSolutions-IAM4[Policy::${arn}]`, REASONS.configuredPolicy);
    }
  }
}
