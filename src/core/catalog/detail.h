// Internals shared by the catalog's .cpp files. Not part of the module's API.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "catalog/catalog.h"

namespace dfplay::catalog::detail {

// Fills in an estimate for a reference that is not in the catalog (r.ok and r.ref are set).
void estimate(const Catalog& catalog, Resolution& r);

// A generic Linux image for references nothing is known about.
Image generic_image(const ImageReference& ref);
// The empty image (FROM scratch) when the catalog has no "scratch" entry.
Image empty_image();

// Tag analysis for estimates: "3.12-slim-bookworm" -> version {3,12}, tokens {slim, bookworm}.
struct TagInfo {
  std::vector<int> version;              // first numeric token ("1.22.5" -> {1,22,5})
  std::vector<std::string> tokens;       // other tokens, trailing digits stripped (alpine3.20 -> alpine)
};
TagInfo analyze_tag(std::string_view tag);
// Splits a repository name into lower-case words with trailing digits stripped
// ("myorg/node-app" -> {myorg, node, app}; "nodejs22-debian12" -> {nodejs, debian}).
std::vector<std::string> name_tokens(std::string_view name);

// JSON helpers for catalog_json.cpp.
struct ByteRange {
  size_t begin = 0, end = 0;
};
// For valid JSON text: byte ranges of the values at the given JSON pointers ("" is the root,
// "/images/3/size"). One linear pass; pointers that do not exist are left out.
std::unordered_map<std::string, ByteRange> locate_json_values(
    std::string_view text, const std::unordered_set<std::string>& pointers);

// Byte offset -> 1-based line and byte column.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  Position at(size_t offset) const;

 private:
  std::vector<size_t> starts_;
  size_t size_ = 0;
};

// Replaces bytes that are not valid UTF-8 with U+FFFD so nlohmann::json::dump cannot throw.
std::string valid_utf8(std::string_view s);

}  // namespace dfplay::catalog::detail
