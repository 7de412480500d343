import {
  SAMPLE_STANDARD_REQUEST,
  type StandardRegistrationRequest,
} from '../../src/domain/standard-registration';

export const NUMBER_1 = 'PN00000000000000000000000000000a01';
export const NUMBER_2 = 'PN00000000000000000000000000000a02';
export const NUMBER_3 = 'PN00000000000000000000000000000a03';

/** The sample LLC with two campaigns: customer care on two numbers, marketing on one. */
export function twoCampaigns(change: (r: StandardRegistrationRequest) => void = () => undefined) {
  const request = structuredClone(SAMPLE_STANDARD_REQUEST);
  const [care] = request.campaigns;
  request.campaigns = [
    { ...care, phoneNumberSids: [NUMBER_1, NUMBER_2] },
    {
      ...care,
      usecase: 'MARKETING',
      description: 'Seasonal offers from Acme Plumbing to customers who asked for them when booking a visit.',
      messageSamples: [
        'Acme Plumbing: 20% off a boiler check this month, book at acmeplumbing.example.com. Reply STOP to opt out.',
        'Acme Plumbing: spring drain cleaning is back, reply YES to book. Reply STOP to opt out.',
      ],
      hasEmbeddedLinks: true,
      phoneNumberSids: [NUMBER_3],
    },
  ];
  change(request);
  return request;
}
