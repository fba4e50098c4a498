// Fails fast when a script runs on a Node.js older than 24: the API runs its TypeScript
// source directly through Node's type stripping, which needs Node 24.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `This project needs Node.js 24 or newer; this script ran on Node.js ${process.versions.node}.\n` +
      'Run it through npm (npm start, npm test, npm run ...): the pinned "node" dependency provides Node 24.',
  );
  process.exit(1);
}
