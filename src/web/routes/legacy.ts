import type { Hono } from 'hono';

/** Addresses of the original site not covered by the listing and cable routes. */
export function registerLegacy(app: Hono): void {
  for (const p of ['/index.html', '/cablegate.html', '/cable', '/cable/']) {
    app.get(p, (c) => c.redirect('/', 301));
  }
  app.get('/tag', (c) => c.redirect('/tags', 301));
  app.get('/origin', (c) => c.redirect('/origins', 301));
  app.get('/classification', (c) => c.redirect('/classifications', 301));
}
