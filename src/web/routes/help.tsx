import type { Hono } from 'hono';
import type { WebContext } from '../context.js';
import { page } from '../page.js';
import { HelpView } from '../views/help.js';

/** The reading guide the cable pages link to (the original site repeated it on every cable page). */
export function registerHelp(app: Hono, ctx: WebContext): void {
  page(app, ctx, '/help', () => ({
    title: 'Understanding and discussing cables',
    data: {
      understanding:
        "Every cable message consists of three parts: the top box shows each cable's unique reference number, when and by whom it was sent, and its initial classification; the middle box holds the header, the receivers and the routing of the message; the bottom box presents the body: subject, references to other cables, then the numbered paragraphs, each with its portion marking.",
      discussing:
        'Link to a cable by its reference ID, or to one paragraph through its ¶ symbol. On social networks, use the hashtags #cablegate and #<reference ID>.',
    },
    view: HelpView,
  }));
}
