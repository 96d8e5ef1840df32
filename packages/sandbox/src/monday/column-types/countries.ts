/** ISO 3166-1 alpha-2 codes and English names, taken from the runtime's ICU data (Node ships full ICU). */
const NOT_COUNTRIES = new Set(['AC', 'CP', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

let cache: Map<string, string> | undefined;

/** ICU also names retired and alias codes (`UK` -> GB, `SU` -> RU, `YU` -> RS): those are not ISO-2 codes. */
function isCanonicalRegion(code: string): boolean {
  return Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`;
}

export function countryNames(): Map<string, string> {
  if (cache) return cache;
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  cache = new Map();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code) || !isCanonicalRegion(code)) continue;
      const name = display.of(code);
      if (name && name !== code) cache.set(code, name);
    }
  }
  return cache;
}
