import { AwsSolutionsChecks } from 'cdk-nag';
import { loadControllerConfig } from '../../shared/config/controller-config';
import { asList, render, resourcesOf, synthesize, type LocatedStatement, type Synthesized } from './support/synth';

const ACCOUNT = '444444444444';

let synth: Synthesized;
let statements: LocatedStatement[];
beforeAll(() => {
  synth = synthesize('single-account.json');
  statements = synth.statements;
}, 180_000);
afterAll(() => synth?.dispose());

describe('Infrastructure: single-account installation (infra/config/single-account.json)', () => {
  it('puts the three stacks in the one account, with distinct names', () => {
    expect([synth.cloudOps, synth.devOps, synth.automation].map((stack) => [stack.stackName, stack.account, stack.region])).toEqual([
      ['spa-cd-cloudops', ACCOUNT, 'us-east-1'],
      ['spa-cd-devops', ACCOUNT, 'us-east-1'],
      ['spa-cd-automation', ACCOUNT, 'us-east-1'],
    ]);
  });

  it('imports the existing repository instead of creating one, and narrows the rules to its ARN', () => {
    expect(resourcesOf(synth.templates.cloudOps, 'AWS::CodeCommit::Repository')).toEqual([]);
    const rules = resourcesOf(synth.templates.cloudOps, 'AWS::Events::Rule').map(([, rule]) => rule.Properties?.EventPattern as { resources?: unknown[] } | undefined);
    const narrowed = rules.filter((pattern) => pattern?.resources !== undefined).map((pattern) => asList(pattern?.resources).map(render));
    expect(narrowed).toEqual([
      [`arn:<AWS::Partition>:codecommit:us-east-1:${ACCOUNT}:SpaSettings`],
      [`arn:<AWS::Partition>:codecommit:us-east-1:${ACCOUNT}:SpaSettings`],
    ]);
  });

  it('still routes build events through the build-events bus, from its own account', () => {
    const buildRule = resourcesOf(synth.templates.cloudOps, 'AWS::Events::Rule')
      .map(([, rule]) => rule.Properties ?? {})
      .find((properties) => properties.EventBusName !== undefined);
    expect(buildRule?.EventPattern).toEqual({
      source: ['aws.codebuild'],
      'detail-type': ['CodeBuild Build State Change'],
      account: [ACCOUNT],
      detail: { 'project-name': ['spa-cd-deploy-automation'] },
    });
    const [, forward] = resourcesOf(synth.templates.devOps, 'AWS::Events::Rule')[0] ?? [];
    expect((asList(forward?.Properties?.Targets)[0] as { Arn?: string }).Arn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/spa-cd-build-events`);
  });

  it('gives the functions a configuration the controller accepts, without approval gating', () => {
    for (const [, fn] of resourcesOf(synth.templates.cloudOps, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties?.Environment as { Variables: Record<string, string> }).Variables;
      expect(loadControllerConfig(variables)).toMatchObject({ account: ACCOUNT, devopsAccount: ACCOUNT, approvalGating: false, buildTimeoutMinutes: 90 });
    }
    expect(statements.some((s) => asList(s.statement.Action).includes('codecommit:UpdatePullRequestApprovalState'))).toBe(false);
    expect(synth.templates.cloudOps.findOutputs('ApprovalRuleTemplateContent')).toEqual({});
  });

  it('keeps the external id and the named-role conditions on every role trusted by an account', () => {
    const accountTrusts = statements.filter((s) => s.kind === 'trust' && (s.statement.Principal as { AWS?: unknown }).AWS !== undefined);
    expect(accountTrusts).toHaveLength(3);
    for (const { where, statement } of accountTrusts) {
      expect({ where, principal: render((statement.Principal as { AWS: unknown }).AWS) }).toEqual({ where, principal: `arn:<AWS::Partition>:iam::${ACCOUNT}:root` });
      expect(statement.Condition?.StringEquals?.['sts:ExternalId']).toBe('spa-cd-single-account-93b1d0');
      expect(asList(statement.Condition?.ArnEquals?.['aws:PrincipalArn']).length).toBeGreaterThan(0);
    }
  });

  it('grants no wildcard action or resource', () => {
    for (const { where, statement } of statements.filter((s) => s.kind !== 'trust' && s.statement.Effect === 'Allow')) {
      for (const value of [...asList(statement.Action), ...asList(statement.Resource)].map(render)) {
        expect({ where, value }).toEqual({ where, value: expect.not.stringContaining('*') });
      }
    }
  });

  it('sends no email when no address is configured', () => {
    expect(resourcesOf(synth.templates.cloudOps, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it('reports no unacknowledged cdk-nag AwsSolutions finding', () => {
    process.env.JSII_DEPRECATED = 'quiet';
    const report = new AwsSolutionsChecks(synth.app).validateScope(synth.app);
    expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? ''}`))).toEqual([]);
  });
});
