/** The query protocols' (EC2, STS) XML: escaped text and elements. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

export const element = (name: string, inner: string) => `<${name}>${inner}</${name}>`;

/** An element holding escaped text. */
export const textElement = (name: string, text: string) => element(name, escapeXml(text));
