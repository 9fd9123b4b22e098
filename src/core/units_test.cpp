#include "format_fixed.h"
#include "units.h"

#include <cstdio>

#include <doctest/doctest.h>

using dfplay::ByteUnit;
using dfplay::format_bytes;

TEST_CASE("format_bytes: SI units, rounded half up") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(999) == "999 B");
  CHECK(format_bytes(1000) == "1.0 kB");
  CHECK(format_bytes(1250) == "1.3 kB");  // half up (printf's %.1f would give 1.2)
  CHECK(format_bytes(21'149'000) == "21.1 MB");
  CHECK(format_bytes(999'960'000) == "1000.0 MB");  // the unit is chosen before rounding
  CHECK(format_bytes(1'500'000'000) == "1.50 GB");
  CHECK(format_bytes(1'005'000'000) == "1.01 GB");
  CHECK(format_bytes(UINT64_MAX) == "18446744073.71 GB");  // no overflow
  // Per place: whole units up to MB (best-practice messages), one decimal up to TB (the app).
  CHECK(format_bytes(1'500'000'000, 0, ByteUnit::MB) == "1500 MB");
  CHECK(format_bytes(1'499, 0, ByteUnit::MB) == "1 kB");
  CHECK(format_bytes(2'500'000'000'000, 1, ByteUnit::TB) == "2.5 TB");
  CHECK(format_bytes(1'500'000'000, 1, ByteUnit::TB) == "1.5 GB");
}

TEST_CASE("format_fixed: printf's %.Nf without printf") {
  using dfplay::format_fixed;
  char buf[64];
  // The same text as snprintf for a spread of values the app formats (durations, ratios).
  for (double v : {0.0, 0.004, 0.005, 0.01, 0.049, 0.05, 0.094, 0.0949, 0.1, 0.25, 0.35, 0.45, 1.0, 1.05, 2.5, 9.95, 12.34,
                   17.999, 59.95, 99.99, 599.9, 1234.5678, 86399.0, -0.04, -1.25, -3.7}) {
    for (int d = 0; d <= 3; ++d) {
      std::snprintf(buf, sizeof buf, "%.*f", d, v);
      CHECK_MESSAGE(format_fixed(v, d) == buf, v, " with ", d, " decimals");
    }
  }
  for (int i = 0; i < 20000; ++i) {  // every hundredth from 0 to 200, and the thousandths near them
    const double v = i / 100.0 + (i % 7) / 1000.0;
    std::snprintf(buf, sizeof buf, "%.1f", v);
    const bool same1 = format_fixed(v, 1) == buf;
    std::snprintf(buf, sizeof buf, "%.2f", v);
    const bool same2 = format_fixed(v, 2) == buf;
    if (!same1 || !same2) FAIL_CHECK("differs from printf at ", v);
  }
  CHECK(format_fixed(2.5, 0) == "2");  // ties to even, as printf
  CHECK(format_fixed(3.5, 0) == "4");
  CHECK(format_fixed(0.125, 2) == "0.12");
  CHECK(format_fixed(-0.0, 1) == "-0.0");
  CHECK(format_fixed(1.0 / 0.0, 1) == "inf");
}
