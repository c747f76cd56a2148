/** The look both reports share (simulate's and tune's): type, headings, tables. */
export const REPORT_STYLE = `body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
thead th { background: #f3f3f3; } tbody th { text-align: left; }
pre { background: #f7f7f7; padding: 1rem; overflow: auto; font-size: 0.75rem; max-height: 30rem; }`;
