import { nameWithin } from '../../../src/activities/deps';
import { registrationWorkflowId, resourceFriendlyName } from '../../../src/shared';

describe('friendly names within Twilio\'s limit (004: an Address FriendlyName "can be up to 64 characters long")', () => {
  test('a name that fits is the plain resource name', () => {
    const id = registrationWorkflowId('cust-1');
    expect(nameWithin(64, id, '/address')).toBe(resourceFriendlyName(id, 'address'));
  });

  test('the longest customer ids fit, stay the same on every attempt, and differ between customers', () => {
    const a = registrationWorkflowId(`a${'x'.repeat(63)}`);
    const b = registrationWorkflowId(`a${'x'.repeat(62)}y`);
    const name = nameWithin(64, a, '/address');
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^a2p-registration-axx+~[0-9a-f]{12}\/address$/);
    expect(nameWithin(64, a, '/address')).toBe(name);
    expect(nameWithin(64, b, '/address')).not.toBe(name);
  });
});
