/** Characters XML 1.0 cannot hold at all (control characters other than tab, LF, CR; lone surrogates). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe in XML or HTML content and in quoted attributes. */
export function escapeMarkup(text: string | number): string {
  return String(text)
    .replace(NOT_XML, '\ufffd')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
