/**
 * Compile a path glob to a matcher: `**` any folders (zero or more), `*` any characters but `/`,
 * `?` one character but `/`; a pattern without `/` matches the file name in any folder, as in
 * `.gitignore`; a pattern ending in `/` matches everything below that folder.
 */
export function compileGlob(pattern: string): (path: string) => boolean {
  let p = pattern.startsWith('./') ? pattern.slice(2) : pattern;
  if (p.endsWith('/')) p += '**';
  const anchored = p.includes('/');
  let source = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] ?? '';
    if (c === '*' && p[i + 1] === '*') {
      const slash = p[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(anchored ? `^${source}$` : `(?:^|/)${source}$`);
  return (path) => re.test(path);
}

/** A matcher for any of `patterns`. */
export function compileGlobs(patterns: readonly string[]): (path: string) => boolean {
  const matchers = patterns.map(compileGlob);
  return (path) => matchers.some((m) => m(path));
}
