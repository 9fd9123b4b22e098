export function renderNav() {
  return `<nav><a href="/">Home</a> <a href="/guide/">Guide</a> <a href="/blog/">Blog</a></nav>`;
}
