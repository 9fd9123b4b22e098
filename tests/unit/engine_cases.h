// Helpers for the test suites that compare the simulation with recordings of the real engine
// (tests/oracle-builds, tests/scenarios): one directory per case, and the list of cases where
// we knowingly differ.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dfplay::testing {

// The sub-directories of `root` (one case each), sorted by name.
inline std::vector<std::filesystem::path> case_dirs(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> dirs;
  for (const auto& d : std::filesystem::directory_iterator(root))
    if (d.is_directory()) dirs.push_back(d.path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// `known`: case name -> why we knowingly differ from the recorded engine. A listed case must
// still differ (when it starts to agree the test fails, so that the list stays true); its
// reason is printed. Returns whether `name` is listed: the caller then skips its usual checks.
inline bool known_divergence(const std::map<std::string, std::string>& known, const std::string& name, bool agrees,
                             const std::string& detail = {}) {
  auto k = known.find(name);
  if (k == known.end()) return false;
  CHECK_MESSAGE(!agrees, name << " now agrees with the engine: remove it from the known divergences");
  MESSAGE("known divergence " << name << ": " << k->second << detail);
  return true;
}

}  // namespace dfplay::testing
