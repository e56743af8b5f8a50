/**
 * DevOps account: one CodeBuild project per environment (NO_SOURCE, infra/buildspec.yml, one build at a
 * time), its service role (may only assume the read-settings role and its environment's deploy role), the
 * trigger role the controller assumes, and the rule that forwards the projects' build state changes to the
 * CloudOps build-events bus.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { loadBuildspec } from '../buildspec';
import type { InstallationConfig } from '../config/installation-config';
import { BUILD_STARTERS, installationNames } from '../names';
import { CODEBUILD_TRIGGER, LOGS_WRITE } from '../permissions';

export interface DevOpsStackProps extends StackProps {
  readonly config: InstallationConfig;
}

export interface DeploymentProject {
  readonly environment: string;
  readonly project: codebuild.Project;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/** The build image of the workbook: Amazon Linux 2023 standard 5.0 (Python 3.11, Node.js, git, AWS CLI). */
export const BUILD_IMAGE = codebuild.LinuxBuildImage.AMAZON_LINUX_2_5;

export class DevOpsStack extends Stack {
  readonly projects: DeploymentProject[];
  readonly triggerRole: iam.Role;
  readonly forwardRule: events.Rule;
  readonly forwardDeadLetterQueue: sqs.Queue;
  readonly alertTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: DevOpsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = installationNames(config);
    const { cloudOps, devOps } = config.accounts;
    const buildSpec = codebuild.BuildSpec.fromObjectToYaml(loadBuildspec());

    this.projects = config.environments.map((environment) => {
      const projectName = names.projectName(environment);
      const role = new iam.Role(this, `BuildRole-${environment.name}`, {
        roleName: names.buildRoleName(environment),
        description: `spa-cd: service role of the ${environment.name} deployment build`,
        assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': devOps },
          ArnEquals: { 'aws:SourceArn': names.projectArn(environment) },
        }),
        maxSessionDuration: Duration.hours(1),
      });
      const logGroup = new logs.LogGroup(this, `BuildLogs-${environment.name}`, {
        logGroupName: `/aws/codebuild/${projectName}`,
        retention: logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'AssumeReadSettingsAndDeployRoles',
        actions: ['sts:AssumeRole'],
        resources: [names.readSettingsRoleArn, names.deployRoleArn(environment)],
      }));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'BuildLogs', actions: [...LOGS_WRITE], resources: [logGroup.logGroupArn] }));

      const project = new codebuild.Project(this, `Project-${environment.name}`, {
        projectName,
        description: `spa-cd: deploys SPA environment ${environment.name} (${environment.folder}) to account ${config.accounts.automation}`,
        // The project must not grant itself anything: the role above holds exactly what the build needs.
        role: role.withoutPolicyUpdates(),
        buildSpec,
        environment: { buildImage: BUILD_IMAGE, computeType: codebuild.ComputeType.SMALL, privileged: false },
        environmentVariables: {
          SPA_CD_SETTINGS_REPOSITORY: { value: names.repositoryName },
          SPA_CD_SETTINGS_REGION: { value: config.region },
          SPA_CD_READ_SETTINGS_ROLE_ARN: { value: names.readSettingsRoleArn },
          SPA_CD_DEPLOY_ROLE_ARN: { value: names.deployRoleArn(environment) },
          SPA_CD_EXTERNAL_ID: { value: config.externalId },
        },
        timeout: Duration.minutes(environment.buildTimeoutMinutes),
        queuedTimeout: Duration.minutes(30),
        concurrentBuildLimit: 1,
        badge: false,
        logging: { cloudWatch: { logGroup } },
      });
      return { environment: environment.name, project, role, logGroup };
    });

    // -- trigger role: the controller's build-starting functions, with the external id
    this.triggerRole = new iam.Role(this, 'TriggerRole', {
      roleName: names.triggerRoleName,
      description: `spa-cd: lets the ${config.name} controller start and inspect the deployment builds`,
      assumedBy: new iam.AccountPrincipal(cloudOps).withConditions({
        StringEquals: { 'sts:ExternalId': config.externalId },
        ArnEquals: { 'aws:PrincipalArn': BUILD_STARTERS.map((fn) => names.functionRoleArn(fn)) },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    const projectArns = config.environments.map((environment) => names.projectArn(environment));
    this.triggerRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DeploymentBuilds', actions: [...CODEBUILD_TRIGGER], resources: projectArns }));
    // StartBuild may override variables, never the commands: the buildspec is the one reviewed in infra/.
    this.triggerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'NoBuildspecOverride',
      effect: iam.Effect.DENY,
      actions: ['codebuild:StartBuild'],
      resources: projectArns,
      conditions: { Null: { 'codebuild:source.buildspec': 'false' } },
    }));

    // -- forward the build state changes of these projects to the CloudOps bus
    this.forwardDeadLetterQueue = new sqs.Queue(this, 'ForwardDeadLetterQueue', {
      queueName: `${config.name}-build-events-forward-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const forwardRole = new iam.Role(this, 'ForwardRole', {
      description: 'spa-cd: EventBridge puts build events on the CloudOps build-events bus',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': devOps } }),
    });
    const cloudOpsBus = events.EventBus.fromEventBusArn(this, 'CloudOpsBuildEventBus', names.buildEventBusArn);
    this.forwardRule = new events.Rule(this, 'ForwardBuildStateRule', {
      description: 'spa-cd: forwards the deployment builds\' state changes to the CloudOps account',
      eventPattern: {
        source: ['aws.codebuild'],
        detailType: ['CodeBuild Build State Change'],
        account: [devOps],
        detail: { 'project-name': config.environments.map((environment) => names.projectName(environment)) },
      },
      targets: [new targets.EventBus(cloudOpsBus, { role: forwardRole, deadLetterQueue: this.forwardDeadLetterQueue })],
    });
    // The EventBus target of aws-events-targets has no retry options: the same explicit policy as every other target.
    (this.forwardRule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.RetryPolicy', {
      MaximumRetryAttempts: 8,
      MaximumEventAgeInSeconds: Duration.hours(2).toSeconds(),
    });

    // -- alerts of this account (an alarm can only notify a topic of its own account)
    this.alertTopic = new sns.Topic(this, 'Alerts', { topicName: `${config.name}-devops-alerts`, displayName: 'spa-cd DevOps alerts', enforceSSL: true });
    if (config.alertEmail !== undefined) this.alertTopic.addSubscription(new subscriptions.EmailSubscription(config.alertEmail));
    const forwardAlarm = new cloudwatch.Alarm(this, 'ForwardDeadLetters', {
      alarmName: `${config.name}-build-events-forward-dead-letters`,
      alarmDescription: 'spa-cd: build state changes could not be forwarded to the CloudOps account; the reconciler repairs the history',
      metric: this.forwardDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    forwardAlarm.addAlarmAction(new actions.SnsAction(this.alertTopic));
  }
}
