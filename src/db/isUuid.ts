const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for ids our tables can hold; anything else cannot name a row and is simply not found. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
