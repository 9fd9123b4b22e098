// Where the read-only shared material (conformance vectors, benchmark inputs) lives.
// Tests that need it call DFPLAY_REQUIRE_SHARED(path) and are reported skipped when it is absent.
#pragma once
#include <doctest/doctest.h>
#include <filesystem>
#include <string>

namespace dfplay::testing {
inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("DFPLAY_SHARED_DIR"); env && *env) return env;
  return DFPLAY_SHARED_DIR;
}
inline std::filesystem::path source_dir() { return DFPLAY_SOURCE_DIR; }
}  // namespace dfplay::testing

// Skips the current test case (reported by doctest as skipped) when the shared folder is absent.
#define DFPLAY_REQUIRE_SHARED(rel)                                                        \
  do {                                                                                    \
    if (!std::filesystem::exists(::dfplay::testing::shared_dir() / (rel))) {              \
      MESSAGE("[dfplay-skipped] " << (::dfplay::testing::shared_dir() / (rel)).string()           \
                          << " is absent");                                               \
      return;                                                                             \
    }                                                                                     \
  } while (0)
