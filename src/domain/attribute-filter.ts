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

/** A user's value of one attribute, or '' — never something inherited ("toString" is a valid name). */
export function attributeOf(attributes: Readonly<Record<string, string>> | null | undefined, name: string): string {
  return attributes && Object.hasOwn(attributes, name) ? (attributes[name] as string) : '';
}

export function isEmptyFilter(filter: Readonly<Record<string, string>>): boolean {
  for (const _ in filter) return false;
  return true;
}
