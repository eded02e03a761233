/** Stable URL slug of an origin: `Embassy Paris` → `embassy-paris`, `Consulate São Paulo` → `consulate-sao-paulo`. */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unknown'
  );
}
