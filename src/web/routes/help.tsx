import type { Context, Hono } from 'hono';
import type { WebContext } from '../app.js';

/** The reading guide the cable pages link to (the original site repeated it on every cable page). */
export function registerHelp(app: Hono, ctx: WebContext): void {
  const page = (c: Context, format: 'html' | 'json') =>
    ctx.send(c, format, {
      title: 'Understanding and discussing cables',
      data: {
        understanding:
          "Every cable message consists of three parts: the top box shows each cable's unique reference number, when and by whom it was sent, and its initial classification; the middle box holds the header, the receivers and the routing of the message; the bottom box presents the body: subject, references to other cables, then the numbered paragraphs, each with its portion marking.",
        discussing:
          'Link to a cable by its reference ID, or to one paragraph through its ¶ symbol. On social networks, use the hashtags #cablegate and #<reference ID>.',
      },
      json: '/help.json',
      body: () => (
        <>
          <h1>Understanding and discussing cables</h1>
          <section aria-labelledby="understanding">
            <h2 id="understanding">Understanding cables</h2>
            <p>Every cable message consists of three parts:</p>
            <ul>
              <li>
                The top box shows each cable's unique reference number, when and by whom it was sent, and its
                initial classification.
              </li>
              <li>The middle box holds the header: the receivers and the routing of the message.</li>
              <li>
                The bottom box presents the body: subject, references to other cables, then the numbered
                paragraphs, each with its portion marking.
              </li>
            </ul>
          </section>
          <section aria-labelledby="discussing">
            <h2 id="discussing">Discussing cables</h2>
            <p>
              Link to a cable by its reference ID (<code>/cable/2009/12/09ANKARA1234.html</code>), or to one
              paragraph through its ¶ symbol. On social networks, use the hashtags <strong>#cablegate</strong>{' '}
              and <strong>#</strong> followed by the reference ID.
            </p>
          </section>
        </>
      ),
    });
  app.get('/help', (c) => page(c, 'html'));
  app.get('/help.json', (c) => page(c, 'json'));
}
