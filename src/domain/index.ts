export * from './rules';
export * from './issues';
export * from './registration';
export * from './external-campaign';
export * from './campaign-review';
export * from './standard-registration';
