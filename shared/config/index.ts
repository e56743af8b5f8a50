/** Controller configuration from Lambda environment variables. */
export * from './controller-config';
