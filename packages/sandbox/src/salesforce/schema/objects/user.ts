import { bool, defineObject, email, field, readOnly, required, systemFields, text } from '../field-definition';

/** Users are read through the API (Owner.Email lookups); the emulator creates them only by seeding. */
export const user = defineObject({
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  createable: false,
  updateable: false,
  deletable: false,
  fields: [
    ...systemFields({ owner: false }),
    text('Username', 80, { ...required, unique: true }),
    text('FirstName', 40),
    text('LastName', 80, required),
    text('Name', 121, { ...readOnly, nillable: false, calculated: true, nameField: true }),
    email('Email', required),
    text('Alias', 8, required),
    bool('IsActive', { defaultedOnCreate: true, defaultValue: true }),
    text('Title', 80),
    text('CompanyName', 80),
    field('TimeZoneSidKey', 'picklist', { length: 40, nillable: false, picklistValues: [
      { value: 'America/New_York', defaultValue: true },
      { value: 'America/Chicago', defaultValue: false },
      { value: 'America/Los_Angeles', defaultValue: false },
      { value: 'Europe/London', defaultValue: false },
    ] }),
  ],
});
