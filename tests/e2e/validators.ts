/**
 * Two checkers besides axe: the Nu HTML checker (vnu.jar, a Java program, from npm's `vnu-jar`)
 * on the HTML the server sends, and HTML_CodeSniffer (WCAG2AA) in the page as the browser shows it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import type { Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');
const HTMLCS_JS = require.resolve('html_codesniffer/build/HTMLCS.js');

/** Stops with what to install when there is no Java to run the checker with (never skips). */
export function requireJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "The Nu HTML checker (vnu.jar) needs Java, and `java -version` failed here: install Debian's " +
        '`default-jre-headless` (`sudo apt-get install -y default-jre-headless`; .ci/run does when `java` is missing).',
    );
  }
}

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/**
 * Checks every .html file in `folder` with one run of the Nu checker (one JVM for them all) and
 * returns its errors as lines `file:line: message`; an empty list is a pass.
 */
export async function nuErrors(folder: string): Promise<string[]> {
  const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--skip-non-html', folder];
  const stderr = await new Promise<string>((resolve, reject) => {
    // vnu exits with 1 when it found errors: its JSON report (on stderr) says which.
    execFile('java', args, { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, err) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve(err);
    });
  });
  const report = JSON.parse(stderr) as { messages: VnuMessage[] };
  return report.messages
    .filter((message) => message.type === 'error' || message.subType === 'fatal')
    .map((message) => {
      const file = message.url ? relative(folder, new URL(message.url).pathname) : '?';
      return `${file}:${message.lastLine ?? '?'}: ${message.message} [${message.extract?.trim() ?? ''}]`;
    })
    .sort();
}

/** HTML_CodeSniffer's WCAG2AA errors on the open page (warnings and notices need a person's judgement). */
export async function codeSnifferErrors(page: Page): Promise<string[]> {
  // The context bypasses the page's CSP (`bypassCSP: true`), as a browser extension would.
  await page.addScriptTag({ path: HTMLCS_JS });
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const htmlcs = (window as unknown as { HTMLCS: HtmlCodeSniffer }).HTMLCS;
        // Some of its messages have no English words (1_3_5_H98.InvalidAutoComplete_*): it would
        // throw on them instead of reporting; the message's code stands in for its words.
        const translate = htmlcs.getTranslation.bind(htmlcs);
        htmlcs.getTranslation = (key) => translate(key) ?? key;
        htmlcs.process(
          'WCAG2AA',
          document,
          () => {
            const describe = (element: Element | null) => {
              if (!element || !(element instanceof Element)) return String(element);
              const id = element.id ? `#${element.id}` : '';
              const classes = [...element.classList].map((name) => `.${name}`).join('');
              return `<${element.tagName.toLowerCase()}${id}${classes}>`;
            };
            resolve(
              htmlcs
                .getMessages()
                .filter((message) => message.type === htmlcs.ERROR)
                .map((message) => `${message.code} on ${describe(message.element)}: ${message.msg}`),
            );
          },
          () => reject(new Error('HTML_CodeSniffer could not run')),
          'en',
        );
      }),
  );
}

interface HtmlCodeSniffer {
  ERROR: number;
  process(standard: string, content: Document, done: () => void, failed: () => void, language: string): void;
  getMessages(): { type: number; code: string; msg: string; element: Element | null }[];
  getTranslation(key: string): string | undefined;
}
