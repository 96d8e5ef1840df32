import { IdGenerator, normalizeId, to18 } from '../../src/salesforce/ids/salesforce-id';

describe('Salesforce ids (reference 6)', () => {
  it('appends the case-encoding checksum of the documented example', () => {
    expect(to18('001R00000033I6A')).toBe('001R00000033I6AIAU');
    expect(to18('00Q000000000001')).toBe('00Q000000000001EAA');
  });

  it('accepts 15-character ids and returns the 18-character form', () => {
    expect(normalizeId('001R00000033I6A')).toBe('001R00000033I6AIAU');
  });

  it('restores the case of an 18-character id from its suffix', () => {
    expect(normalizeId('001r00000033i6aiau')).toBe('001R00000033I6AIAU');
  });

  it('rejects malformed ids', () => {
    expect(normalizeId('abc')).toBeNull();
    expect(normalizeId('001R00000033I6A-AU')).toBeNull();
    expect(normalizeId('001R00000033I6A99!')).toBeNull();
  });

  it('generates valid, distinct ids with the key prefix', () => {
    const ids = new IdGenerator();
    const a = ids.next('00Q');
    const b = ids.next('00Q');
    expect(a).not.toBe(b);
    expect(a.startsWith('00Q')).toBe(true);
    expect(normalizeId(a)).toBe(a);
    expect(new IdGenerator(ids.state()).next('00Q')).toBe(ids.next('00Q'));
  });
});
