import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Dates must not depend on the machine's time zone. Jest cannot change the zone of its own
 * process, so each zone runs the date properties in a child Node process with TZ set (TypeScript
 * loaded through tsx). The zones cover UTC+14, UTC-8/-7 (with DST) and a half-hour offset.
 *
 * To show the check bites, the child also runs the same property against two deliberately naive
 * implementations that use local-time Date getters (the classic off-by-one); they must fail there.
 */
// zone, and whether it is west of UTC somewhere in 1900-2100 (the Line Islands were UTC-10:40 until 1979)
const ZONES: [string, boolean][] = [
  ['Pacific/Kiritimati', true],
  ['America/Los_Angeles', true],
  ['Asia/Kolkata', false],
];
const MAPPING_ZONES = ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles', 'Asia/Kolkata', 'America/Santiago', 'Australia/Lord_Howe'];

const CHILD = String.raw`
require('tsx/cjs');
const fc = require('fast-check');
const { converterFor } = require('./src/mapping/converters/converter-registry.ts');
const { readBackValue } = require('./src/mapping/converters/monday-value-shapes.ts');
const field = (name, type) => ({ name, label: name, type, length: 0, nillable: true, createable: true, updateable: true,
  defaultedOnCreate: false, picklistValues: [], restrictedPicklist: false, externalId: false, referenceTo: [], relationshipName: null });
const dateColumn = { id: 'date4', title: 'Date', type: 'date', settings: {} };
const build = (type, timeZone) => {
  const choice = converterFor(field('F', type), dateColumn, { timeZone });
  if (!choice.ok) throw new Error(choice.reason);
  return choice.converter;
};
const value = (r) => { if (r.kind !== 'value') throw new Error(JSON.stringify(r)); return r.value; };
const oracleDate = (ms, zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
const days = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const instants = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const zones = JSON.parse(process.env.MAPPING_ZONES);

// 1. date-only values never shift
const date = build('date', 'UTC');
fc.assert(fc.property(days, (d) => {
  const w = value(date.toMonday(d));
  if (w.date !== d || w.time !== undefined) throw new Error('shifted write ' + JSON.stringify(w));
  if (value(date.fromMondayApi(readBackValue(dateColumn, w))) !== d) throw new Error('shifted read ' + d);
}));
// 2. datetimes go to monday in UTC and come back as the same instant
const dateTime = build('datetime', 'UTC');
fc.assert(fc.property(instants, (t) => {
  const sf = t.toISOString().replace('Z', '+0000');
  const w = value(dateTime.toMonday(sf));
  if (w.date !== t.toISOString().slice(0, 10) || w.time !== t.toISOString().slice(11, 19)) throw new Error('not UTC ' + JSON.stringify(w));
  if (value(dateTime.fromMondayApi(readBackValue(dateColumn, w))) !== sf) throw new Error('instant changed ' + sf);
}));
// 3. with a mapping time zone: a monday date without time is the start of that day in the zone,
//    and a monday date with a (UTC) time is, for a date field, the calendar date in the zone
fc.assert(fc.property(days, fc.constantFrom(...zones), (d, zone) => {
  const ms = Date.parse(value(build('datetime', zone).fromMondayApi(readBackValue(dateColumn, { date: d }))));
  if (oracleDate(ms, zone) !== d || oracleDate(ms - 1000, zone) === d) throw new Error('not the start of ' + d + ' in ' + zone);
}));
fc.assert(fc.property(instants, fc.constantFrom(...zones), (t, zone) => {
  const w = { date: t.toISOString().slice(0, 10), time: t.toISOString().slice(11, 19) };
  const got = value(build('date', zone).fromMondayApi(readBackValue(dateColumn, w)));
  if (got !== oracleDate(t.getTime(), zone)) throw new Error(got + ' is not the date of ' + t.toISOString() + ' in ' + zone);
}));

// naive local-time implementations, which the same properties must catch
const pad = (n, w = 2) => String(n).padStart(w, '0');
const naiveDate = (d) => { const x = new Date(d); return x.getFullYear() + '-' + pad(x.getMonth() + 1) + '-' + pad(x.getDate()); };
const naiveDateTime = (iso) => { const x = new Date(iso); return pad(x.getHours()) + ':' + pad(x.getMinutes()) + ':' + pad(x.getSeconds()); };
const caught = (arb, ok) => { try { fc.assert(fc.property(arb, ok)); return false; } catch { return true; } };
console.log(JSON.stringify({
  offsetMinutes: -new Date('2026-01-15T12:00:00Z').getTimezoneOffset(),
  naiveDateCaught: caught(days, (d) => naiveDate(d) === d),
  naiveDateTimeCaught: caught(instants, (t) => naiveDateTime(t.toISOString()) === t.toISOString().slice(11, 19)),
}));
`;

describe('dates round-trip in any machine time zone', () => {
  it.each(ZONES)('with TZ=%s the date properties hold and a local-time implementation is caught', (zone, westOfUtcAtSomePoint) => {
    const child = spawnSync(process.execPath, ['-e', CHILD], {
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, TZ: zone, MAPPING_ZONES: JSON.stringify(MAPPING_ZONES) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { offsetMinutes: number; naiveDateCaught: boolean; naiveDateTimeCaught: boolean };
    // the zone really applied to the child (none of these zones is UTC)
    expect(report.offsetMinutes).not.toBe(0);
    expect(report.naiveDateTimeCaught).toBe(true);
    // new Date('YYYY-MM-DD') is UTC midnight: local getters go back a day only west of UTC
    expect(report.naiveDateCaught).toBe(westOfUtcAtSomePoint);
  });
});
