// DDASExchangeReference: a frozen copy of `Sources/DDASExchange` as it was at commit 4af1eff
// (the JSON reader, the schema validator, the page reading and the semantic checks), before
// issue 21 rewrote them for speed. Only `ExchangeEquivalenceTests` depends on it: it runs this
// copy and the product over the same bytes and asserts the same findings, schema violations,
// page problems and parse errors. Trimmed of what checking a page does not use (the API
// versions, reading and writing request bodies, writing JSON); nothing else differs.
//
// It is frozen on purpose: do not fix, format-tidy or speed up anything here. A difference the
// equivalence test finds is a change of behaviour in the product; if that change is wanted,
// the test's expectation changes, not this copy. Delete the module when the old reading is no
// longer the yardstick.
