/**
 * The IAM actions each part of spa-cd may call, in one place. Every action is granted on named resources
 * only (this repository, this table and its indexes, these projects, these roles).
 * An adapter that calls a new API adds its action here.
 */

/** Reading the settings repository: files, folders, differences, branches, commits. */
export const CODECOMMIT_READ = [
  'codecommit:BatchGetCommits',
  'codecommit:GetBlob',
  'codecommit:GetBranch',
  'codecommit:GetCommit',
  'codecommit:GetDifferences',
  'codecommit:GetFile',
  'codecommit:GetFolder',
  'codecommit:GetMergeCommit',
  'codecommit:GetRepository',
  'codecommit:ListBranches',
] as const;

/** Reading pull requests and posting or updating the controller's comments. */
export const CODECOMMIT_PULL_REQUEST_COMMENTS = [
  'codecommit:DescribePullRequestEvents',
  'codecommit:GetComment',
  'codecommit:GetCommentsForPullRequest',
  'codecommit:GetPullRequest',
  'codecommit:ListPullRequests',
  'codecommit:PostCommentForPullRequest',
  'codecommit:PostCommentReply',
  'codecommit:UpdateComment',
] as const;

/** Approving or revoking a pull request revision (approval gating only). */
export const CODECOMMIT_APPROVAL = [
  'codecommit:EvaluatePullRequestApprovalRules',
  'codecommit:GetPullRequestApprovalStates',
  'codecommit:UpdatePullRequestApprovalState',
] as const;

/** The history table: item reads and conditional writes, never Scan. */
export const DYNAMODB_HISTORY = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/** The trigger role in the DevOps account: start, inspect and stop this installation's builds. */
export const CODEBUILD_TRIGGER = ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'] as const;

/** The read-settings role: clone over git-remote-codecommit. */
export const CODECOMMIT_CLONE = ['codecommit:GitPull'] as const;

/** A role's log stream writes to its own log group. */
export const LOGS_WRITE = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;
