/** Request headers with case-insensitive names; repeated ones read joined with ", " as HTTP allows. */
export class HeaderBag {
  private readonly values = new Map<string, string[]>();

  static from(input: HeaderInput): HeaderBag {
    if (input instanceof HeaderBag) return input;
    const bag = new HeaderBag();
    const entries = Array.isArray(input) ? input : Object.entries(input);
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) bag.append(name, String(v));
    }
    return bag;
  }

  /** Parses `Name: value` lines as given to `--header`. */
  static parseLine(line: string): [string, string] | null {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return null;
    return [name, line.slice(colon + 1).trim()];
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const list = this.values.get(key);
    if (list) list.push(value);
    else this.values.set(key, [value]);
  }

  get(name: string): string | undefined {
    const list = this.values.get(name.toLowerCase());
    return list ? list.join(', ') : undefined;
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
}

export type HeaderInput =
  | HeaderBag
  | Record<string, string | string[] | number | undefined>
  | Array<[string, string]>;
