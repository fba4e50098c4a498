/**
 * The one escaper of text put into HTML or XML (email bodies, search snippets, Atom feeds): the five
 * characters that could open markup or close an attribute value become numeric character
 * references, which HTML and XML both read, in text and in quoted attribute values alike.
 * (iCalendar TEXT values follow another rule, RFC 5545's backslashes: see the API's events
 * calendar module.)
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
