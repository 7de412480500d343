/**
 * Places and numbers a registration may name: US and Canadian region codes and the country calling
 * codes of E.164. Plain data, imported by workflow code.
 */

/**
 * 000 1.4: the region "can be a State or Province". For a US address: the 50 states, the District
 * of Columbia and the inhabited territories with USPS codes (American Samoa, Guam, the Northern
 * Mariana Islands, Puerto Rico, the US Virgin Islands), plus UM, ISO 3166-2's code for the Minor
 * Outlying Islands. Military (AA, AE, AP) and freely associated states (FM, MH, PW) are left out:
 * neither is where a US sole proprietor's business is registered.
 */
// prettier-ignore
export const US_REGION_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'DC', 'AS', 'GU', 'MP', 'PR', 'VI', 'UM',
] as const;

/** Canada Post's codes for the 10 provinces and 3 territories. */
// prettier-ignore
export const CA_REGION_CODES = [
  'AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'ON', 'PE', 'QC', 'SK', 'NT', 'NU', 'YT',
] as const;

/**
 * ITU-T E.164 country calling codes in service (ITU's list of assigned codes): the geographic
 * ones and the global services (800 freephone, 808 shared cost, 870 Inmarsat, 878 UPT, 881 GMSS,
 * 882/883 international networks, 888, 979 premium rate). Spare and reserved codes (e.g. 0, 28x,
 * 384, 999) are absent, so `+999…` is refused. The codes are prefix-free: at most one of a
 * number's first one, two or three digits is in the list.
 */
// prettier-ignore
export const COUNTRY_CALLING_CODES: ReadonlySet<string> = new Set([
  '1', '7',
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48',
  '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81',
  '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
  '211', '212', '213', '216', '218', '220', '221', '222', '223', '224', '225', '226', '227', '228',
  '229', '230', '231', '232', '233', '234', '235', '236', '237', '238', '239', '240', '241', '242',
  '243', '244', '245', '246', '247', '248', '249', '250', '251', '252', '253', '254', '255', '256',
  '257', '258', '260', '261', '262', '263', '264', '265', '266', '267', '268', '269', '290', '291',
  '297', '298', '299',
  '350', '351', '352', '353', '354', '355', '356', '357', '358', '359', '370', '371', '372', '373',
  '374', '375', '376', '377', '378', '380', '381', '382', '383', '385', '386', '387', '389',
  '420', '421', '423',
  '500', '501', '502', '503', '504', '505', '506', '507', '508', '509', '590', '591', '592', '593',
  '594', '595', '596', '597', '598', '599',
  '670', '672', '673', '674', '675', '676', '677', '678', '679', '680', '681', '682', '683', '685',
  '686', '687', '688', '689', '690', '691', '692',
  '800', '808', '850', '852', '853', '855', '856', '870', '878', '880', '881', '882', '883', '886',
  '888',
  '960', '961', '962', '963', '964', '965', '966', '967', '968', '970', '971', '972', '973', '974',
  '975', '976', '977', '979', '992', '993', '994', '995', '996', '998',
]);

/** The country calling code an E.164 number (`+` and digits) starts with, or undefined. */
export function countryCallingCode(e164: string): string | undefined {
  const digits = e164.startsWith('+') ? e164.slice(1) : e164;
  for (const n of [1, 2, 3]) {
    const prefix = digits.slice(0, n);
    if (COUNTRY_CALLING_CODES.has(prefix)) return prefix;
  }
  return undefined;
}
