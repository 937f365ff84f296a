/**
 * Text for HTML and SVG (both XML-like in what they escape): every string that comes from a run
 * (task names, objective names, file paths) goes through this before it is placed in the page, so
 * a task called `<script>` shows as text and cannot run.
 */
export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
