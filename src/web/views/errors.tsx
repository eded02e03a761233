import type { Child } from 'hono/jsx';

export function NotFoundView(p: { hint?: Child }) {
  return (
    <>
      <h1>Not found</h1>
      <p>There is no public page at this address.</p>
      {p.hint ?? null}
      <p>
        Browse by <a href="/reldate">release date</a>, <a href="/date">creation date</a>,{' '}
        <a href="/origins">origin</a>, <a href="/tags">tag</a> or{' '}
        <a href="/classifications">classification</a>, or search from the box above.
      </p>
    </>
  );
}

export function BadRequestView(p: { message: string }) {
  return (
    <>
      <h1>Bad request</h1>
      <p>{p.message}</p>
    </>
  );
}

/** `/search` until a search module is mounted. */
export function SearchUnavailableView() {
  return (
    <>
      <h1>Search</h1>
      <p>Search is not available on this server yet. Browse the archive from the navigation instead.</p>
    </>
  );
}
