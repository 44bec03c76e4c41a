/** C-ID-4: traits with a standard meaning; never copied to custom attributes. */
export const IDENTIFY_STANDARD_TRAITS: ReadonlySet<string> = new Set([
  'email',
  'phone',
  'name',
  'firstName',
  'lastName',
  'createdAt',
  'created_at',
  'company',
  'companies',
  'avatar',
  'lastRequestAt',
  'id',
]);
