/**
 * INFO sections. The kernel contributes server, clients, memory, stats, persistence, replication
 * and keyspace; plugins add fields to those or whole sections of their own.
 */
export type InfoFields = [string, string | number][];
export type InfoProvider = () => InfoFields;

const ORDER = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace'];
/** Sections `INFO` and `INFO default` leave out, as Redis does (they are in `all` and `everything`). */
const NOT_DEFAULT = new Set(['commandstats', 'latencystats']);
/** Titles that are not just the name capitalized. */
const TITLES: Record<string, string> = { cpu: 'CPU' };

export class InfoRegistry {
  private readonly sections = new Map<string, InfoProvider[]>();

  /** Adds fields to a section (creating it); providers run when INFO is called. */
  add(section: string, provider: InfoProvider): void {
    const name = section.toLowerCase();
    const list = this.sections.get(name) ?? [];
    list.push(provider);
    this.sections.set(name, list);
  }

  /** Replaces every provider of a section with this one (a plugin that owns the whole section's layout). */
  replace(section: string, provider: InfoProvider): void {
    this.sections.set(section.toLowerCase(), [provider]);
  }

  /** Section names in Redis's order, then plugin sections. */
  names(): string[] {
    const known = ORDER.filter((s) => this.sections.has(s));
    const extra = [...this.sections.keys()].filter((s) => !ORDER.includes(s));
    return [...known, ...extra];
  }

  /** INFO text for the given sections ("default", "all", "everything" or names). */
  render(requested: string[]): string {
    const wanted = new Set<string>();
    const lower = requested.map((r) => r.toLowerCase());
    if (lower.includes('all') || lower.includes('everything')) {
      for (const n of this.names()) wanted.add(n);
    } else if (lower.length === 0 || lower.includes('default')) {
      for (const n of this.names()) if (!NOT_DEFAULT.has(n)) wanted.add(n);
    }
    for (const r of lower) if (this.sections.has(r)) wanted.add(r);
    const parts: string[] = [];
    for (const name of this.names()) {
      if (!wanted.has(name)) continue;
      // Later providers override earlier fields of the same name, keeping the first one's position.
      const fields = new Map<string, string | number>();
      for (const provider of this.sections.get(name)!) for (const [k, v] of provider()) fields.set(k, v);
      const title = TITLES[name] ?? name.charAt(0).toUpperCase() + name.slice(1);
      parts.push(`# ${title}\r\n` + [...fields].map(([k, v]) => `${k}:${v}\r\n`).join(''));
    }
    return parts.join('\r\n');
  }
}
