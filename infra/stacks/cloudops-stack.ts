/**
 * CloudOps account: the settings repository, the controller Lambdas and their event rules, the history
 * table, the build-events bus that receives the DevOps account's CodeBuild events, the read-settings role
 * that the builds assume, alarms, the alert topic and the dashboard.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { HISTORY_INDEXES, HISTORY_TABLE_KEYS, type HistoryIndex } from '../../shared/adapters/dynamodb-deployment-store';
import type { InstallationConfig } from '../config/installation-config';
import { ControllerFunction } from '../constructs/controller-function';
import { controllerEnvironment } from '../controller-environment';
import { ENVIRONMENT_DIMENSION, METRIC_NAMES, METRICS_NAMESPACE } from '../metrics';
import { BUILD_STARTERS, CONTROLLER_FUNCTIONS, installationNames, type ControllerFunction as FunctionName } from '../names';
import { CODECOMMIT_APPROVAL, CODECOMMIT_CLONE, CODECOMMIT_PULL_REQUEST_COMMENTS, CODECOMMIT_READ, DYNAMODB_HISTORY } from '../permissions';

export interface CloudOpsStackProps extends StackProps {
  readonly config: InstallationConfig;
  /** Folder of the esbuild bundles: `<dir>/<function>/index.mjs`. */
  readonly functionsCodeDirectory: string;
}

const FUNCTION_SETTINGS: Record<FunctionName, { description: string; timeout: Duration }> = {
  'on-trunk-push': { description: 'spa-cd: validates and deploys the environments a trunk merge changed', timeout: Duration.minutes(2) },
  'on-pull-request': { description: 'spa-cd: reviews pull requests to the trunk', timeout: Duration.minutes(2) },
  'on-build-state-change': { description: 'spa-cd: records build results and starts queued deployments', timeout: Duration.minutes(1) },
  reconcile: { description: 'spa-cd: repairs what missed events left undone (every 5 minutes)', timeout: Duration.minutes(4) },
};

export class CloudOpsStack extends Stack {
  readonly repository: codecommit.IRepository;
  /** The approval rule template custom resource (approval gating only). */
  approvalRuleTemplate?: cr.AwsCustomResource;
  readonly table: dynamodb.Table;
  readonly functions: Record<FunctionName, ControllerFunction>;
  readonly buildEventBus: events.EventBus;
  readonly readSettingsRole: iam.Role;
  readonly alertTopic: sns.Topic;
  readonly rules: Record<'trunkPush' | 'pullRequest' | 'buildState' | 'schedule', events.Rule>;

  constructor(scope: Construct, id: string, props: CloudOpsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = installationNames(config);
    const { cloudOps, devOps } = config.accounts;
    const trunkRef = `refs/heads/${config.trunk}`;

    // -- settings repository
    if ('create' in config.repository) {
      const repository = new codecommit.Repository(this, 'SettingsRepository', {
        repositoryName: names.repositoryName,
        description: `SPA settings managed by ${config.name}: changes through pull requests to ${config.trunk} only`,
      });
      repository.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.repository = repository;
    } else {
      this.repository = codecommit.Repository.fromRepositoryName(this, 'SettingsRepository', names.repositoryName);
    }

    // -- history table (key schema and indexes from the store adapter, so code and table cannot drift)
    const indexes: readonly HistoryIndex[] = Object.values(HISTORY_INDEXES);
    this.table = new dynamodb.Table(this, 'History', {
      tableName: names.tableName,
      partitionKey: { name: HISTORY_TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: HISTORY_TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        ...(index.sortKey === undefined ? {} : { sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING } }),
        projectionType: index.projection === 'ALL' ? dynamodb.ProjectionType.ALL : dynamodb.ProjectionType.KEYS_ONLY,
      });
    }

    // -- controller functions
    const environment = controllerEnvironment(config);
    const functions = {} as Record<FunctionName, ControllerFunction>;
    for (const name of CONTROLLER_FUNCTIONS) {
      functions[name] = new ControllerFunction(this, pascal(name), {
        name,
        functionName: names.functionName(name),
        roleName: names.functionRoleName(name),
        codeDirectory: props.functionsCodeDirectory,
        environment,
        ...FUNCTION_SETTINGS[name],
      });
    }
    this.functions = functions;

    // -- least privilege: this repository, this table and its indexes, the trigger role
    const tableResources = [this.table.tableArn, ...indexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`)];
    for (const name of CONTROLLER_FUNCTIONS) {
      const role = functions[name].role;
      const approves = name === 'on-pull-request' && config.approvalGating;
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ReadSettingsRepositoryAndComment',
        actions: [...CODECOMMIT_READ, ...CODECOMMIT_PULL_REQUEST_COMMENTS, ...(approves ? CODECOMMIT_APPROVAL : [])],
        resources: [this.repository.repositoryArn],
      }));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DeploymentHistory', actions: [...DYNAMODB_HISTORY], resources: tableResources }));
      if (BUILD_STARTERS.includes(name)) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'AssumeTriggerRole', actions: ['sts:AssumeRole'], resources: [names.triggerRoleArn] }));
      }
    }

    // -- build events forwarded by the DevOps account
    this.buildEventBus = new events.EventBus(this, 'BuildEventBus', { eventBusName: names.buildEventBusName });
    this.buildEventBus.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DevOpsBuildEvents',
      principals: [new iam.AccountPrincipal(devOps)],
      actions: ['events:PutEvents'],
      resources: [this.buildEventBus.eventBusArn],
    }));

    // -- CodeCommit events (default bus), narrowed to this repository and the trunk; build events (forwarded bus); schedule
    this.rules = {
      trunkPush: new events.Rule(this, 'TrunkPushRule', {
        description: `spa-cd: ${names.repositoryName} ${trunkRef} moved`,
        eventPattern: {
          source: ['aws.codecommit'],
          detailType: ['CodeCommit Repository State Change'],
          account: [cloudOps],
          resources: [this.repository.repositoryArn],
          detail: { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceFullName: [trunkRef] },
        },
        targets: [functions['on-trunk-push'].eventTarget({ retryAttempts: 8, maxEventAge: Duration.hours(2) })],
      }),
      pullRequest: new events.Rule(this, 'PullRequestRule', {
        description: `spa-cd: pull requests of ${names.repositoryName} to ${config.trunk}`,
        eventPattern: {
          source: ['aws.codecommit'],
          detailType: ['CodeCommit Pull Request State Change'],
          account: [cloudOps],
          resources: [this.repository.repositoryArn],
          detail: {
            destinationReference: [trunkRef],
            $or: [
              { event: ['pullRequestCreated', 'pullRequestSourceBranchUpdated', 'pullRequestMergeStatusUpdated'] },
              { event: ['pullRequestStatusChanged'], pullRequestStatus: ['Open'] },
            ],
          },
        },
        targets: [functions['on-pull-request'].eventTarget({ retryAttempts: 8, maxEventAge: Duration.hours(2) })],
      }),
      buildState: new events.Rule(this, 'BuildStateRule', {
        description: 'spa-cd: state changes of the deployment builds',
        eventBus: this.buildEventBus,
        eventPattern: {
          source: ['aws.codebuild'],
          detailType: ['CodeBuild Build State Change'],
          account: [devOps],
          detail: { 'project-name': config.environments.map((e) => names.projectName(e)) },
        },
        targets: [functions['on-build-state-change'].eventTarget({ retryAttempts: 8, maxEventAge: Duration.hours(2) })],
      }),
      schedule: new events.Rule(this, 'ReconcileSchedule', {
        description: 'spa-cd: reconcile deployments with the trunk and the builds',
        schedule: events.Schedule.rate(Duration.minutes(5)),
        // a missed run is replaced by the next one five minutes later: retry briefly, never pile up
        targets: [functions.reconcile.eventTarget({ retryAttempts: 2, maxEventAge: Duration.minutes(4) })],
      }),
    };

    // -- read-settings role, assumed by the deployment builds of the DevOps account
    this.readSettingsRole = new iam.Role(this, 'ReadSettingsRole', {
      roleName: names.readSettingsRoleName,
      description: `spa-cd: lets the ${config.name} deployment builds clone ${names.repositoryName}`,
      assumedBy: new iam.AccountPrincipal(devOps).withConditions({
        StringEquals: { 'sts:ExternalId': config.externalId },
        ArnEquals: { 'aws:PrincipalArn': config.environments.map((e) => names.buildRoleArn(e)) },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    this.readSettingsRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'CloneSettings',
      actions: [...CODECOMMIT_CLONE],
      resources: [this.repository.repositoryArn],
    }));

    // -- alerts
    this.alertTopic = new sns.Topic(this, 'Alerts', { topicName: `${config.name}-alerts`, displayName: 'spa-cd alerts', enforceSSL: true });
    if (config.alertEmail !== undefined) this.alertTopic.addSubscription(new subscriptions.EmailSubscription(config.alertEmail));
    const alarmAction = new actions.SnsAction(this.alertTopic);
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${config.name}-${kebab(alarmId)}`,
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(alarmAction);
      return created;
    };
    const fiveMinutes = Duration.minutes(5);
    for (const name of CONTROLLER_FUNCTIONS) {
      const fn = functions[name];
      alarm(`${pascal(name)}DeadLetters`, `spa-cd ${name}: events or invocations failed for good and wait in ${names.functionName(name)}-dlq`,
        fn.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }));
      alarm(`${pascal(name)}Errors`, `spa-cd ${name}: the function failed`, fn.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }));
    }
    alarm('DeploymentsFailed', 'spa-cd: a deployment build failed (FAILED, FAULT, TIMED_OUT or FAILED_TO_START)', insights(METRIC_NAMES.deploymentsFailed, 'SUM', fiveMinutes));
    alarm('DeploymentsRejected', 'spa-cd: a merge to the trunk was rejected for invalid settings', insights(METRIC_NAMES.deploymentsRejected, 'SUM', fiveMinutes));

    // -- dashboard
    const hour = Duration.hours(1);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${config.name}-deployments` });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Deployments per environment and status', width: 12, stacked: true,
        left: METRIC_NAMES.deploymentOutcomes.map((name) => insights(name, 'SUM', hour, ENVIRONMENT_DIMENSION)) }),
      new cloudwatch.GraphWidget({ title: 'Failed and rejected deployments', width: 12,
        left: [insights(METRIC_NAMES.deploymentsFailed, 'SUM', hour, ENVIRONMENT_DIMENSION), insights(METRIC_NAMES.deploymentsRejected, 'SUM', hour, ENVIRONMENT_DIMENSION)] }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Lead time, merge to deployed (seconds)', width: 8, left: [insights(METRIC_NAMES.leadTime, 'AVG', hour, ENVIRONMENT_DIMENSION)] }),
      new cloudwatch.GraphWidget({ title: 'Build duration (seconds)', width: 8, left: [insights(METRIC_NAMES.buildDuration, 'AVG', hour, ENVIRONMENT_DIMENSION)] }),
      new cloudwatch.GraphWidget({ title: 'Review latency (seconds)', width: 8, left: [insights(METRIC_NAMES.reviewLatency, 'AVG', hour)] }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Function errors', width: 12,
        left: CONTROLLER_FUNCTIONS.map((name) => functions[name].function.metricErrors({ period: fiveMinutes, statistic: 'Sum', label: name })) }),
      new cloudwatch.GraphWidget({ title: 'Dead-letter queues', width: 12,
        left: CONTROLLER_FUNCTIONS.map((name) => functions[name].deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum', label: name })) }),
    );

    // -- approval rule template (gating): CloudFormation has no resource for it, so two SDK calls made by a custom
    // resource create (update, delete) the template and associate it with the repository.
    if (config.approvalGating) {
      const content = approvalRuleTemplateContent(config.trunk, `arn:${names.partition}:sts::${cloudOps}:assumed-role/${names.functionRoleName('on-pull-request')}/*`);
      const templateName = `${config.name}-controller-approval`;
      const template = new cr.AwsCustomResource(this, 'ApprovalRuleTemplate', {
        onCreate: {
          service: 'CodeCommit',
          action: 'createApprovalRuleTemplate',
          parameters: {
            approvalRuleTemplateName: templateName,
            approvalRuleTemplateContent: content,
            approvalRuleTemplateDescription: `spa-cd: pull requests into ${config.trunk} need the controller's approval (valid settings)`,
          },
          physicalResourceId: cr.PhysicalResourceId.of(templateName),
        },
        onUpdate: {
          service: 'CodeCommit',
          action: 'updateApprovalRuleTemplateContent',
          parameters: { approvalRuleTemplateName: templateName, newRuleContent: content },
          physicalResourceId: cr.PhysicalResourceId.of(templateName),
        },
        onDelete: { service: 'CodeCommit', action: 'deleteApprovalRuleTemplate', parameters: { approvalRuleTemplateName: templateName } },
        // Approval rule templates have no resource-level permissions: the actions apply to '*' (acknowledged in the tests).
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: ['codecommit:CreateApprovalRuleTemplate', 'codecommit:UpdateApprovalRuleTemplateContent', 'codecommit:DeleteApprovalRuleTemplate'],
            resources: ['*'],
          }),
        ]),
        installLatestAwsSdk: false,
        logGroup: new logs.LogGroup(this, 'ApprovalRuleTemplateLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY }),
      });
      const association = new cr.AwsCustomResource(this, 'ApprovalRuleTemplateAssociation', {
        onCreate: {
          service: 'CodeCommit',
          action: 'associateApprovalRuleTemplateWithRepository',
          parameters: { approvalRuleTemplateName: templateName, repositoryName: this.repository.repositoryName },
          physicalResourceId: cr.PhysicalResourceId.of(`${templateName}@${config.name}`),
        },
        onDelete: {
          service: 'CodeCommit',
          action: 'disassociateApprovalRuleTemplateFromRepository',
          parameters: { approvalRuleTemplateName: templateName, repositoryName: this.repository.repositoryName },
        },
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: ['codecommit:AssociateApprovalRuleTemplateWithRepository', 'codecommit:DisassociateApprovalRuleTemplateFromRepository'],
            resources: [this.repository.repositoryArn],
          }),
        ]),
        installLatestAwsSdk: false,
        logGroup: new logs.LogGroup(this, 'ApprovalRuleTemplateAssociationLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY }),
      });
      association.node.addDependency(template);
      this.approvalRuleTemplate = template;
      new CfnOutput(this, 'ApprovalRuleTemplateName', { value: templateName });
    }
    new CfnOutput(this, 'HistoryTableName', { value: this.table.tableName });
    new CfnOutput(this, 'BuildEventBusArn', { value: this.buildEventBus.eventBusArn });
  }
}

/** A Metrics Insights query over every dimension set of a spa-cd metric (optionally grouped). */
function insights(metricName: string, stat: 'SUM' | 'AVG', period: Duration, groupBy?: string): cloudwatch.MathExpression {
  const query = `SELECT ${stat}(${metricName}) FROM "${METRICS_NAMESPACE}"${groupBy === undefined ? '' : ` GROUP BY ${groupBy}`}`;
  // a grouped query labels each series with its group values; a single series gets the metric name
  return new cloudwatch.MathExpression({ expression: query, usingMetrics: {}, period, ...(groupBy === undefined ? { label: metricName } : {}) });
}

/** The approval rule template of approval gating: one approval by the review function's role, on the trunk. */
export function approvalRuleTemplateContent(trunk: string, approverArnPattern: string): string {
  return JSON.stringify({
    Version: '2018-11-08',
    DestinationReferences: [`refs/heads/${trunk}`],
    Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 1, ApprovalPoolMembers: [approverArnPattern] }],
  });
}

function pascal(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
