'use strict';
// Every hostile case, in a fixed order (the index is how the parent names a case to its child).
let cached = null;

function allCases() {
  if (!cached) {
    cached = [...require('./api')(), ...require('./files')(), ...require('./worker')(), ...require('./cli')()];
  }
  return cached;
}

module.exports = { allCases };
