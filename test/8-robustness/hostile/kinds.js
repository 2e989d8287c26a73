'use strict';
// The three kinds of hostile case. `refuse`: must throw a TypeError, RangeError or Error whose
// message matches `names` (the argument or file it is about). `ok`: must return a value `check`
// accepts. `either`: may do either, but a returned value must pass `check`.
const refuse = (group, name, run, names) => ({ group, name, run, expect: 'refuse', names });
const ok = (group, name, run, check) => ({ group, name, run, expect: 'ok', check });
const either = (group, name, run, check) => ({ group, name, run, expect: 'either', check });

module.exports = { refuse, ok, either };
