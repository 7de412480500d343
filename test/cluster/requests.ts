import { SAMPLE_REGISTRATION_REQUEST, type RegistrationRequest } from '../../src/domain';

/**
 * The sample sole proprietor as the n-th customer of one sandbox: a seeded number of its own
 * (PN…01 to PN…05; a number sits in one Messaging Service) and its own mobile number, email and
 * address (TCR caps how many brands may share them).
 */
export function registrationRequest(
  n: number,
  tag: string,
  overrides: (r: RegistrationRequest) => void = () => undefined,
): RegistrationRequest {
  if (n < 1 || n > 5) throw new Error('the sandbox seeds five numbers: n is 1 to 5');
  const r = structuredClone(SAMPLE_REGISTRATION_REQUEST);
  const stamp = Date.now();
  r.customerId = `${tag}-${n}-${stamp}`;
  r.phoneNumberSid = `PN${String(n).padStart(32, '0')}`;
  r.soleProprietor.mobilePhoneNumber = `+1415555${String(2000 + n * 7).padStart(4, '0')}`;
  r.soleProprietor.email = `owner${n}.${stamp}@example.com`;
  r.address.street = `${200 + n} Main St`;
  overrides(r);
  return r;
}
