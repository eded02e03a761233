/** The site's one stylesheet, served from the app (no CDN). Contrast ≥ 4.5:1 for all text. */
export const STYLE = `
:root{--fg:#1b1b1b;--muted:#4a4a4a;--bg:#fff;--line:#c8c8c8;--accent:#0b4f8a;--soft:#f2f4f7;--warn:#7a3e00}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #e8a300;outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
.top{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center;padding:10px 16px;border-bottom:1px solid var(--line);background:var(--soft)}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--fg)}
.counter{margin:0}.counter strong{font-variant-numeric:tabular-nums}
.top search{margin-left:auto}.top form{display:flex;gap:6px;align-items:center}
.top input{padding:6px 8px;border:1px solid #767676;border-radius:4px;min-width:12rem;font:inherit}
.top button{padding:6px 12px;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;font:inherit;cursor:pointer}
.wrap{display:grid;grid-template-columns:16rem 1fr;gap:0 24px;max-width:84rem;margin:0 auto;padding:0 16px}
.side{font-size:.9rem;padding-top:8px}.side h2{font-size:.95rem;margin:14px 0 4px}
.chips{display:flex;flex-wrap:wrap;gap:3px;margin:0;padding:0;list-style:none}
.chips a{display:inline-block;padding:1px 6px;border:1px solid var(--line);border-radius:3px;text-decoration:none;min-width:1.8em;text-align:center}
main{min-width:0;padding-bottom:32px;grid-column:2;grid-row:1}.side{grid-column:1;grid-row:1}
h1{font-size:1.45rem;line-height:1.3;margin:16px 0 8px;overflow-wrap:anywhere}
h2{font-size:1.15rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft)}
td.id{white-space:nowrap;font-family:ui-monospace,monospace}td.date{white-space:nowrap;font-variant-numeric:tabular-nums}
/* Left, not centred over a table wider than a phone, where the centre is off screen. */
caption{text-align:left;padding:2px 0}
abbr[title]{text-decoration:none}
.scroll{overflow-x:auto}
.box{border:1px solid var(--line);border-radius:4px;margin:12px 0;background:#fff}
.box>h2{margin:0;padding:6px 10px;font-size:.95rem;background:var(--soft);border-bottom:1px solid var(--line)}
pre{margin:0;padding:10px;overflow-x:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
.meta th{width:11rem;background:none}
pre a[id^=par]{text-decoration:none;font-weight:700;margin-right:2px}
.pm{display:inline-block;font:600 11px/1.4 system-ui,sans-serif;background:#e7ecf3;color:#1b1b1b;border-radius:3px;padding:0 4px;margin-right:4px;vertical-align:1px}
.kind{color:var(--muted);font-size:.8em}
.note{color:var(--warn)}
mark{background:#ffe066;color:inherit}.hl-note{background:#fff7cc;padding:4px 8px;border-radius:4px}
.muted{color:var(--muted)}
details{margin:6px 0}summary{cursor:pointer;color:var(--accent)}
.pager{display:flex;flex-wrap:wrap;gap:4px;list-style:none;padding:0;margin:12px 0}
.pager a,.pager span{display:inline-block;padding:2px 9px;border:1px solid var(--line);border-radius:3px;text-decoration:none}
.pager [aria-current]{background:var(--accent);color:#fff;border-color:var(--accent)}
.sortbar{margin:6px 0;font-size:.9rem}
.cols{columns:16rem;column-gap:24px;padding-left:0;list-style:none}.cols li{break-inside:avoid}
.figs{display:flex;flex-wrap:wrap;gap:12px;padding:0;list-style:none}.figs li{background:var(--soft);padding:8px 12px;border-radius:4px}
.figs strong{display:block;font-size:1.3rem}
figure{margin:12px 0}
svg{max-width:100%;height:auto}
.diff .add{background:#dff3e3}.diff .del{background:#fbe3e3}.diff .hunk{color:var(--muted)}
.nav-pn{display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap}
/* Search pages. */
.sr-form{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0}
.sr-form input[type=search]{flex:1;min-width:14rem;padding:6px 8px;border:1px solid #767676;border-radius:4px;font:inherit}
.sr-form select,.sr-form button{padding:5px 8px;font:inherit}
.sr-grid{display:grid;grid-template-columns:1fr 15rem;gap:0 20px}
.sr-hits{list-style:none;padding:0;margin:0}.sr-hits li{padding:8px 0;border-bottom:1px solid var(--line)}
.sr-hits .id{font-family:ui-monospace,monospace;margin-right:6px}
.sr-meta{font-size:.85rem;color:var(--muted)}
.sr-snip{margin:4px 0 0;font-size:.92rem}.sr-snip mark{background:#fff0a8;color:inherit}
.sr-facets h2{font-size:.95rem;margin:12px 0 4px}.sr-facets ul{list-style:none;padding:0;margin:0;font-size:.88rem}
.sr-facets li{display:flex;justify-content:space-between;gap:6px}
.histo{display:flex;align-items:flex-end;gap:2px;height:90px;list-style:none;padding:0;margin:8px 0 2px;border-bottom:1px solid var(--line)}
.histo li{flex:1;height:100%;display:flex;align-items:flex-end;min-width:3px}
.histo a{display:block;width:100%;background:var(--accent);min-height:1px;position:relative}
.histo-axis{display:flex;justify-content:space-between;font-size:.8rem;color:var(--muted)}
@media (max-width:60rem){.sr-grid{grid-template-columns:1fr}}
footer{border-top:1px solid var(--line);padding:12px 16px;font-size:.85rem;color:var(--muted)}
@media (max-width:48rem){.wrap{grid-template-columns:1fr}main,.side{grid-column:1;grid-row:auto}.side{border-top:1px solid var(--line)}.top search,.top form{margin-left:0;width:100%}.top input{flex:1;min-width:0}}
`;
