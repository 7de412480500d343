import {
  CA_REGION_CODES,
  COUNTRY_CALLING_CODES,
  countryCallingCode,
  US_REGION_CODES,
} from '../../../src/domain/places';

describe('places', () => {
  it('lists the 50 states, DC and 6 territories, and the 13 Canadian provinces and territories', () => {
    expect(new Set(US_REGION_CODES).size).toBe(57);
    expect(new Set(CA_REGION_CODES).size).toBe(13);
  });

  it('keeps the country calling codes prefix-free, so a number has at most one', () => {
    for (const code of COUNTRY_CALLING_CODES) {
      for (let n = 1; n < code.length; n++)
        expect([code, COUNTRY_CALLING_CODES.has(code.slice(0, n))]).toEqual([code, false]);
    }
  });

  it.each([
    ['+14155550123', '1'],
    ['+74951234567', '7'],
    ['+442071838750', '44'],
    ['+35312345678', '353'],
    ['+8613800138000', '86'],
    ['+999999999999999', undefined],
  ])('reads the calling code of %s as %s', (number, code) => {
    expect(countryCallingCode(number)).toBe(code);
  });
});
