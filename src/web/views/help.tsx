export function HelpView() {
  return (
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
          paragraph through its ¶ symbol. On social networks, use the hashtags <strong>#cablegate</strong> and{' '}
          <strong>#</strong> followed by the reference ID.
        </p>
      </section>
    </>
  );
}
