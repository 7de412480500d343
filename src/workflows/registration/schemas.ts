import type * as SoleProprietorSchemas from '../../domain/registration';
import type * as StandardSchemas from '../../domain/standard-registration';

/*
 * The request schemas' modules, evaluated the first time a workflow checks or applies a
 * correction rather than when it starts (see src/domain/requests.ts for what that saves). A
 * `require` inside a function, not an import: the bundle evaluates a module when it is first
 * required, and each workflow has a module cache of its own, so a registration that never receives
 * a correction never builds them. Either way the same code runs, so replay is unaffected.
 */

/** The Sole Proprietor request's schemas and the corrections built on them. */
export function soleProprietorSchemas(): typeof SoleProprietorSchemas {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated on first use, see above
  return require('../../domain/registration') as typeof SoleProprietorSchemas;
}

/** The Standard request's schemas and the corrections built on them. */
export function standardSchemas(): typeof StandardSchemas {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated on first use, see above
  return require('../../domain/standard-registration') as typeof StandardSchemas;
}
