#include "syntax/diagnostic.h"

#include <doctest/doctest.h>

using namespace dfplay;

TEST_CASE("diagnostics are formatted FILE:LINE:COL: SEVERITY: MESSAGE") {
  Diagnostic d{Severity::Error, {{3, 7, 20}, {3, 9, 22}}, "parse/x", "unknown instruction: FORM"};
  CHECK(format_diagnostic(d, "Dockerfile") == "Dockerfile:3:7: error: unknown instruction: FORM");
  d.severity = Severity::Warning;
  CHECK(format_diagnostic(d, "a/b") == "a/b:3:7: warning: unknown instruction: FORM");
}

TEST_CASE("Diagnostics collects and reports errors") {
  Diagnostics ds;
  CHECK_FALSE(ds.has_errors());
  ds.warning({}, "w", "careful");
  CHECK_FALSE(ds.has_errors());
  ds.error({}, "e", "broken");
  CHECK(ds.has_errors());
  CHECK(ds.size() == 2);
}
