#include "units.h"

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
