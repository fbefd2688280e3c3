/** An attribute filter holds when every key it names has exactly the given value. */
export function matchesAttributes(
  filter: Readonly<Record<string, string>>,
  attributes: Readonly<Record<string, string>> | null | undefined,
): boolean {
  for (const key in filter) {
    if (attributes?.[key] !== filter[key]) return false;
  }
  return true;
}

export function isEmptyFilter(filter: Readonly<Record<string, string>>): boolean {
  for (const _ in filter) return false;
  return true;
}
