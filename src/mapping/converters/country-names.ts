/**
 * ISO 3166-1 alpha-2 codes and English names from the runtime's CLDR data (Intl.DisplayNames), so
 * no country table is kept here. Names follow CLDR ("United States", "Czechia", "Côte d’Ivoire");
 * common other spellings are accepted on the way in.
 */
const NOT_COUNTRIES = new Set('AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH NT QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ'.split(' '));

const ALIASES: Readonly<Record<string, string>> = {
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  'united states of america': 'US',
  uk: 'GB',
  'great britain': 'GB',
  'czech republic': 'CZ',
  turkey: 'TR',
  'ivory coast': 'CI',
  burma: 'MM',
  myanmar: 'MM',
  'republic of korea': 'KR',
  'korea, republic of': 'KR',
  russia: 'RU',
  'russian federation': 'RU',
  'democratic republic of the congo': 'CD',
  'republic of the congo': 'CG',
  swaziland: 'SZ',
  'cape verde': 'CV',
  'east timor': 'TL',
  macedonia: 'MK',
  holland: 'NL',
};

let table: { names: Map<string, string>; byName: Map<string, string> } | undefined;

function countries() {
  if (!table) {
    const display = new Intl.DisplayNames(['en'], { type: 'region' });
    const names = new Map<string, string>();
    const byName = new Map<string, string>();
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const name = display.of(code);
        if (name === undefined || name === code || NOT_COUNTRIES.has(code)) continue;
        names.set(code, name);
        byName.set(normalizeName(name), code);
      }
    }
    for (const [alias, code] of Object.entries(ALIASES)) if (!byName.has(alias)) byName.set(normalizeName(alias), code);
    table = { names, byName };
  }
  return table;
}

function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/&/g, 'and')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function countryName(code: string): string | undefined {
  return countries().names.get(code.toUpperCase());
}

/** A country code or name (any case, accents optional) -> its ISO code, or undefined. */
export function countryCode(codeOrName: string): string | undefined {
  const trimmed = codeOrName.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && countries().names.has(trimmed.toUpperCase())) return trimmed.toUpperCase();
  return countries().byName.get(normalizeName(trimmed));
}

export function allCountryCodes(): string[] {
  return [...countries().names.keys()];
}
