/** The EventBridge events spa-cd accepts: schemas, parsing that never throws, origin checks. */
export * from './primitives';
export * from './envelope';
export * from './codecommit';
export * from './codebuild';
export * from './parse';
