export * from './rules';
export * from './registration';
export * from './external-campaign';
