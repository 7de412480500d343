export * from './events';
export * from './ids';
export * from './messages';
export * from './search-attributes';
export * from './task-queues';
export * from './texts';
export * from './types';
export * from './views';
