/** Debian's Chromium and the switches every run of it here takes (browser journeys, Lighthouse), besides headless. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_SWITCHES = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
