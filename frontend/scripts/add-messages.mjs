// Adds UI messages to messages/<locale>.json (default en) and keeps the keys sorted:
//   node scripts/add-messages.mjs '{"users": "Users"}' [locale]
//   node scripts/add-messages.mjs new-messages.json [locale]
// Read, merge and replace in one step (written aside and renamed), so two people adding messages at the same time
// do not lose each other's keys. An existing key with a different text is an error: message keys are shared.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [input, locale = 'en'] = process.argv.slice(2);
if (!input) {
	console.error('usage: node scripts/add-messages.mjs <json object | file.json> [locale]');
	process.exit(2);
}
const additions = JSON.parse(existsSync(input) ? readFileSync(input, 'utf8') : input);
const file = path.resolve(import.meta.dirname, `../messages/${locale}.json`);
const current = JSON.parse(readFileSync(file, 'utf8'));

const conflicts = Object.entries(additions).filter(([k, v]) => k in current && current[k] !== v);
if (conflicts.length) {
	for (const [k, v] of conflicts) console.error(`${k}: already "${current[k]}", not "${v}"`);
	process.exit(1);
}
const { $schema, ...messages } = { ...current, ...additions };
const sorted = Object.fromEntries(Object.keys(messages).sort().map((k) => [k, messages[k]]));
const tmp = `${file}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify({ $schema, ...sorted }, null, '\t') + '\n');
renameSync(tmp, file);
console.log(`${Object.keys(additions).length} message(s) merged into ${path.relative(process.cwd(), file)}`);
