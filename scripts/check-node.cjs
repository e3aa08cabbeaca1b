// Checks the running Node.js against package.json's "engines" before anything is installed,
// and says plainly what to install when it does not fit. Plain old JavaScript on purpose:
// it must run, and explain itself, on the old Node versions it rejects (Debian 12 ships 18).
'use strict';
var fs = require('fs');
var path = require('path');

function parse(version) {
  var m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(String(version).trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)];
}

function compare(a, b) {
  for (var i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** One comparator: "^x.y.z", ">=x.y.z", or "x" / "x.y" (a whole major / minor). */
function satisfiesOne(v, comparator) {
  var c = comparator.trim();
  var m = /^(\^|>=)?\s*v?(\d+(?:\.\d+){0,2})$/.exec(c);
  if (!m) throw new Error('unsupported engines comparator "' + c + '"');
  var base = parse(m[2]);
  if (m[1] === '>=') return compare(v, base) >= 0;
  if (m[1] === '^') return v[0] === base[0] && compare(v, base) >= 0;
  var parts = m[2].split('.').length;
  return v[0] === base[0] && (parts < 2 || v[1] === base[1]) && (parts < 3 || v[2] === base[2]);
}

/** A range of "||"-separated comparators, as package.json's engines field writes them. */
function satisfies(version, range) {
  var v = parse(version);
  if (!v) return false;
  return range.split('||').some(function (part) {
    return part.trim().split(/\s+/).every(function (c) { return satisfiesOne(v, c); });
  });
}

module.exports = { satisfies: satisfies };

if (require.main === module) {
  var pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  var range = pkg.engines && pkg.engines.node;
  var current = process.versions.node;
  if (!satisfies(current, range)) {
    console.error(
      'This project needs Node.js ' + range + ' (found ' + current + ' at ' + process.execPath + ').\n' +
        'Install a supported Node.js first, for example Node.js 22 (the version in .nvmrc):\n' +
        '  with nvm:      nvm install && nvm use\n' +
        '  on Debian/Ubuntu: the "nodejs" package of NodeSource or of a newer release (Debian 12\'s own is 18)\n' +
        'then run the command again.'
    );
    process.exit(1);
  }
}
